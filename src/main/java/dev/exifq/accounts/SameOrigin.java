package dev.exifq.accounts;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a browser request came from one of our own pages, by the headers browsers set and pages cannot
 * forge: {@code Sec-Fetch-Site} (refused when {@code cross-site} or {@code same-site}: another port or subdomain
 * of the site is another origin) and {@code Origin} (refused unless it names the host the request was sent to).
 * A request with neither header is not a browser's cross-site request (browsers send Origin on every cross-origin
 * POST); programs using the cookie are held by the CSRF token instead.
 */
final class SameOrigin {
    private SameOrigin() {}

    static boolean fromOurPages(String secFetchSite, String origin, String host) {
        if (secFetchSite != null) {
            String site = secFetchSite.trim().toLowerCase(Locale.ROOT);
            if (site.equals("cross-site") || site.equals("same-site")) {
                return false;
            }
        }
        return origin == null || matchesHost(origin.trim(), host);
    }

    /** {@code Origin: https://exifq.example} against {@code Host: exifq.example} (ports compared when given). */
    static boolean matchesHost(String origin, String host) {
        if (host == null || host.isBlank() || origin.isEmpty() || origin.equals("null")) {
            return false;
        }
        URI o;
        try {
            o = new URI(origin);
        } catch (Exception e) {
            return false;
        }
        if (o.getHost() == null || o.getScheme() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()) {
            return false;
        }
        URI h;
        try {
            h = new URI("http://" + host.trim());
        } catch (Exception e) {
            return false;
        }
        if (h.getHost() == null || !o.getHost().equalsIgnoreCase(h.getHost())) {
            return false;
        }
        if (h.getPort() == -1) {
            return o.getPort() == -1; // the default port, whichever scheme a proxy in front of us speaks
        }
        int originPort = o.getPort() != -1 ? o.getPort() : o.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return originPort == h.getPort();
    }
}
