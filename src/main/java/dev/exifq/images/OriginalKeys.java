package dev.exifq.images;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Blob keys for originals: server-made, `originals/<id>` plus a sanitised extension from the client's
 * file name (ExifTool takes the extension as a first hint of the format).
 */
final class OriginalKeys {
    private static final Pattern EXT = Pattern.compile("[a-z0-9]{1,8}");

    private OriginalKeys() {}

    static String of(String imageId, String filename) {
        String ext = extension(filename);
        return "originals/" + imageId + (ext == null ? "" : "." + ext);
    }

    static String extension(String filename) {
        if (filename == null) return null;
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) return null;
        String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return EXT.matcher(ext).matches() ? ext : null;
    }
}
