package dev.exifq.metadata;

/** The task ran past the task timeout; its process was killed and replaced. Never retried. */
public class ExifToolTimeoutException extends ExifToolException {
    public ExifToolTimeoutException(String message, String stderr) {
        super(message, stderr, null);
    }
}
