package dev.exifq.platform;

import java.util.Map;

/** An error a client caused or must see, answered as {"ok":false,"error":code,"message":...}. */
public class ApiException extends RuntimeException {
    static final String RETRY_AFTER = "retry_after";
    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = extra;
    }

    public int status() { return status; }

    public String code() { return code; }

    public Map<String, Object> extra() { return extra; }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** A 429 with {@code Retry-After} and {@code retry_after}, both in seconds; the message says when, too. */
    public static ApiException tooManyRequests(String code, String message, long retryAfterSeconds) {
        return new ApiException(429, code, message + " Try again in " + retryAfterSeconds + " seconds.",
                Map.of(RETRY_AFTER, retryAfterSeconds));
    }

    /** Seconds until a retry can succeed, when the error says so (answered as the Retry-After header too). */
    public java.util.OptionalLong retryAfterSeconds() {
        return extra.get(RETRY_AFTER) instanceof Long seconds ? java.util.OptionalLong.of(seconds)
                : java.util.OptionalLong.empty();
    }
}
