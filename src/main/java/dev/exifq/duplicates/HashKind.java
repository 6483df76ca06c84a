package dev.exifq.duplicates;

import dev.exifq.platform.ApiException;

import java.util.Locale;

/** Which perceptual hash to compare; fixes the image_hashes columns a query uses (never user text in SQL). */
public enum HashKind {
    PHASH("phash", "p"),
    DHASH("dhash", "d");

    private final String column;
    private final String bandPrefix;

    HashKind(String column, String bandPrefix) {
        this.column = column;
        this.bandPrefix = bandPrefix;
    }

    /** The API name and the image_hashes column holding the 64 bits as a signed bigint. */
    public String column() {
        return column;
    }

    /** The image_hashes column of 16-bit band {@code band} (0 = most significant), e.g. {@code p0}. */
    public String bandColumn(int band) {
        return bandPrefix + band;
    }

    /** Parses the `hash` parameter: phash (also when absent) or dhash. */
    public static HashKind parse(String value) {
        if (value == null || value.isBlank()) {
            return PHASH;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "phash" -> PHASH;
            case "dhash" -> DHASH;
            default -> throw ApiException.badRequest("invalid_hash", "'hash' must be phash or dhash.");
        };
    }
}
