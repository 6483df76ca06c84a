package dev.exifq.images;

/** A run that failed; transient ones are retried, permanent ones end the image as `failed`. */
public class ProcessingFailure extends Exception {
    private final String code;
    private final boolean transientFailure;
    private String finalUrl;
    private String checksum;
    private Long bytesize;

    public ProcessingFailure(String code, String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.transientFailure = transientFailure;
    }

    public static ProcessingFailure permanent(String code, String message) {
        return new ProcessingFailure(code, message, false, null);
    }

    public ProcessingFailure withFacts(String finalUrl, String checksum, Long bytesize) {
        this.finalUrl = finalUrl;
        this.checksum = checksum;
        this.bytesize = bytesize;
        return this;
    }

    public String code() { return code; }

    public boolean transientFailure() { return transientFailure; }

    public String finalUrl() { return finalUrl; }

    public String checksum() { return checksum; }

    public Long bytesize() { return bytesize; }
}
