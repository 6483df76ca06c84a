package dev.exifq.hashing;

import java.time.Duration;

/** Hashing one image took longer than {@code exifq.hashing.deadline}; it was given up on. */
public class HashingTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    public HashingTimeoutException(Duration limit) {
        super("Hashing the image took longer than " + (limit == null ? "allowed" : limit.toMillis() / 1000.0 + " s")
                + " and was given up on");
    }
}
