package dev.exifq.metadata;

/** No process became free within the acquire timeout; nothing was run. */
public class ExifToolBusyException extends ExifToolException {
    public ExifToolBusyException(String message) {
        super(message);
    }
}
