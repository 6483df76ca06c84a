package dev.exifq.storage;

import java.util.regex.Pattern;

/** Blob keys are made by the server only; this refuses anything else (path traversal, odd bytes). */
public final class BlobKeys {
    private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,80}(/[a-z0-9][a-z0-9._-]{0,80}){0,4}");

    private BlobKeys() {}

    public static String check(String key) {
        if (key == null || !SAFE.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("Unsafe blob key");
        }
        return key;
    }
}
