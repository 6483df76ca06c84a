package dev.exifq.images;

import dev.exifq.platform.ApiException;

import java.time.Duration;

/** The {@code wait} of a long poll: absent (zero) or a whole number of seconds from 1 to 30. */
final class WaitParam {
    static final int MAX_SECONDS = 30;

    private WaitParam() {}

    static Duration parse(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        if (wait.matches("[0-9]{1,2}")) {
            int seconds = Integer.parseInt(wait);
            if (seconds >= 1 && seconds <= MAX_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        }
        throw ApiException.badRequest("invalid_wait",
                "'wait' must be a whole number of seconds from 1 to " + MAX_SECONDS + ".");
    }
}
