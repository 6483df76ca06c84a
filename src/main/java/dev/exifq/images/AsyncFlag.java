package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.platform.ApiException;

import java.util.Locale;

/** The `async` flag: a JSON boolean, or true/false/1/0 as a form field; absent means false (wait). */
final class AsyncFlag {
    private AsyncFlag() {}

    static boolean parse(JsonNode v) {
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isTextual()) return parse(v.asText());
        if (v.isInt() && (v.intValue() == 0 || v.intValue() == 1)) return v.intValue() == 1;
        throw invalid();
    }

    static boolean parse(String v) {
        if (v == null || v.isBlank()) return false;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid();
        };
    }

    private static ApiException invalid() {
        return ApiException.badRequest("invalid_async", "'async' must be true or false.");
    }
}
