package dev.exifq.metadata;

/** A task could not be run to completion by the pool (as opposed to exiftool reporting an error in its output). */
public class ExifToolException extends RuntimeException {

    private final String stderr;

    public ExifToolException(String message) {
        this(message, null, null);
    }

    public ExifToolException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public ExifToolException(String message, String stderr, Throwable cause) {
        super(message, cause);
        this.stderr = stderr;
    }

    /** What the process wrote to stderr for this task before it failed, or null. */
    public String stderr() {
        return stderr;
    }
}
