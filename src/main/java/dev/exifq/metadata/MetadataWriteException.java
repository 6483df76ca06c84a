package dev.exifq.metadata;

/**
 * ExifTool would not write what was asked: a value it refuses ({@link #INVALID_FIELD}, naming the field), a
 * format it cannot write ({@link #FORMAT_NOT_WRITABLE}) or a file it cannot parse for writing
 * ({@link #WRITE_FAILED}). Nothing was written.
 */
public class MetadataWriteException extends Exception {
    public static final String INVALID_FIELD = "invalid_field";
    public static final String FORMAT_NOT_WRITABLE = "format_not_writable";
    public static final String WRITE_FAILED = "write_failed";

    private final String code;
    private final String field;

    public MetadataWriteException(String code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() { return code; }

    /** The API field at fault, or null. */
    public String field() { return field; }
}
