package dev.exifq.web;

import java.time.Duration;
import java.time.Instant;

/** "23 h 59 min left", as static/history.js also writes it, for the page before its script runs. */
final class TimeLeft {
    private TimeLeft() {}

    static String until(Instant now, Instant end) {
        long s = Duration.between(now, end).getSeconds();
        if (s <= 0) {
            return "expired";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return h > 0 ? h + " h " + m + " min left" : m > 0 ? m + " min " + (s % 60) + " s left" : s + " s left";
    }
}
