package dev.exifq.accounts;

import dev.exifq.platform.ApiException;

/** Why an admin did something to an account: required, kept with the change, at most {@value #MAX} characters. */
public final class AdminReason {
    public static final int MAX = 500;
    public static final String INVALID = "invalid_reason";
    public static final String MESSAGE = "Say why in 'reason' (at most " + MAX + " characters).";

    private AdminReason() {}

    /** The stripped reason, or a 400 invalid_reason when it is missing, blank or too long. */
    public static String require(String raw) {
        String reason = raw == null ? "" : raw.strip();
        if (reason.isEmpty() || reason.length() > MAX) {
            throw ApiException.badRequest(INVALID, MESSAGE);
        }
        return reason;
    }
}
