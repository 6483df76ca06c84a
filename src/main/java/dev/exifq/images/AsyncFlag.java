package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.platform.ApiException;

/**
 * The `async` flag: a JSON boolean in JSON; in a multipart form, whose fields are text, exactly `true` or `false`
 * in any case. Absent (or JSON null) means false: wait for the result.
 */
final class AsyncFlag {
    private AsyncFlag() {}

    static boolean parse(JsonNode v) {
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.booleanValue();
        throw invalid();
    }

    static boolean parse(String v) {
        if (v == null) return false;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw invalid();
    }

    private static ApiException invalid() {
        return ApiException.badRequest("invalid_async", "'async' must be true or false.");
    }
}
