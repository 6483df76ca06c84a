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
        throw ApiException.badRequest("invalid_async", "'async' must be true or false, not \"" + shown(v) + "\".");
    }

    /** The client's value, short and printable, so a wrong one can be seen in the answer. */
    private static String shown(String v) {
        StringBuilder b = new StringBuilder();
        v.codePoints().limit(20).forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : c == '"' || c == '\\' ? "\\" + (char) c : new String(Character.toChars(c))));
        return v.codePointCount(0, v.length()) > 20 ? b + "…" : b.toString();
    }

    private static ApiException invalid() {
        return ApiException.badRequest("invalid_async", "'async' must be true or false.");
    }
}
