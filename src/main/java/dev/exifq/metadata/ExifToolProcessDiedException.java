package dev.exifq.metadata;

/** The exiftool process exited or broke its pipes while running the task, on every attempt allowed. */
public class ExifToolProcessDiedException extends ExifToolException {
    public ExifToolProcessDiedException(String message, String stderr, Throwable cause) {
        super(message, stderr, cause);
    }
}
