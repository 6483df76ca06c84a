package dev.exifq.hashing;

/** The bytes are not an image this service can decode (unknown format, truncated or corrupt data). */
public class UndecodableImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UndecodableImageException(String message) {
        super(message);
    }

    public UndecodableImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
