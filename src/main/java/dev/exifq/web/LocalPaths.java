package dev.exifq.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The {@code next} of /sign-in?next=…: only a path on this site, so sign-in can never redirect elsewhere. */
public final class LocalPaths {
    static final String HOME = "/dashboard";
    private static final int MAX = 512;

    private LocalPaths() {}

    /**
     * The path itself when it is local ({@code /dashboard/keys?x=1}), otherwise /dashboard. Refused: absolute
     * and scheme-relative URLs ({@code //evil.example}, {@code /\evil.example}, which browsers read as
     * {@code //}), backslashes and control characters anywhere, and overlong values.
     */
    public static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX || next.charAt(0) != '/') {
            return HOME;
        }
        if (next.length() > 1 && (next.charAt(1) == '/' || next.charAt(1) == '\\')) {
            return HOME;
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return HOME;
            }
        }
        return next;
    }

    static String signInFor(String path) {
        return "/sign-in?next=" + URLEncoder.encode(safeNext(path), StandardCharsets.UTF_8);
    }
}
