package dev.exifq.fetch;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A user-supplied URL taken apart by one parser, ours, so that the host we check is the host we connect to.
 *
 * <p>Only {@code http}/{@code https}. Credentials in the URL and the fragment are dropped. Hosts that the C
 * resolver (inet_aton) or a browser would read as an IPv4 address — {@code 2130706433}, {@code 0x7f.1},
 * {@code 017700000001}, {@code 127.1}, full-width digits — are rewritten to the dotted quad they mean, so the
 * address policy sees the same address a connection would reach. Percent-encoded or otherwise odd hosts are
 * rejected rather than guessed at.
 */
final class TargetUrl {

    static final int MAX_URL_LENGTH = 8192;

    private static final String ENCODE_IN_PATH = " \"<>\\^`{|}[]";

    final String scheme;
    /** ASCII lower case host name, dotted-quad IPv4 or IPv6 literal without brackets. */
    final String host;
    final boolean ipv6;
    /** -1 for the scheme's default. */
    final int port;
    final String rawPath;
    final String rawQuery;
    /** The address for IP-literal hosts, null for names that need DNS. */
    final InetAddress literal;
    final URI uri;

    private TargetUrl(String scheme, String host, boolean ipv6, int port, String rawPath, String rawQuery,
                      InetAddress literal) throws FetchException {
        this.scheme = scheme;
        this.host = host;
        this.ipv6 = ipv6;
        this.port = port;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.literal = literal;
        try {
            this.uri = new URI(scheme + "://" + authority() + pathAndQuery());
        } catch (URISyntaxException e) {
            throw FetchException.invalidUrl("The URL is malformed");
        }
    }

    String authority() {
        return (ipv6 ? "[" + host + "]" : host) + (port == -1 ? "" : ":" + port);
    }

    String pathAndQuery() {
        return rawPath + (rawQuery == null ? "" : "?" + rawQuery);
    }

    int effectivePort() {
        return port != -1 ? port : "https".equals(scheme) ? 443 : 80;
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    static TargetUrl parse(String input) throws FetchException {
        if (input == null) {
            throw FetchException.invalidUrl("No URL given");
        }
        String s = input.strip();
        if (s.isEmpty()) {
            throw FetchException.invalidUrl("No URL given");
        }
        if (s.length() > MAX_URL_LENGTH) {
            throw FetchException.invalidUrl("The URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw FetchException.invalidUrl("The URL contains control characters");
            }
        }
        int colon = s.indexOf(':');
        if (colon <= 0 || !isScheme(s.substring(0, colon))) {
            throw FetchException.invalidUrl("The URL must be absolute and start with http:// or https://");
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw FetchException.invalidUrl("Only http and https URLs are supported");
        }
        if (!s.startsWith("//", colon + 1)) {
            throw FetchException.invalidUrl("The URL must start with http:// or https://");
        }
        int authStart = colon + 3;
        int authEnd = authStart;
        while (authEnd < s.length() && "/?#".indexOf(s.charAt(authEnd)) < 0) {
            authEnd++;
        }
        String authority = s.substring(authStart, authEnd);
        String rest = s.substring(authEnd);
        if (authority.indexOf('\\') >= 0) {
            throw FetchException.invalidUrl("The URL host is malformed");
        }
        // user:password@ is dropped here and never sent anywhere
        int at = authority.lastIndexOf('@');
        String hostPort = at >= 0 ? authority.substring(at + 1) : authority;

        String host;
        String portText = null;
        boolean ipv6 = false;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw FetchException.invalidUrl("The URL host is malformed");
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw FetchException.invalidUrl("The URL host is malformed");
                }
                portText = after.substring(1);
            }
            ipv6 = true;
        } else {
            int c = hostPort.indexOf(':');
            if (c >= 0 && c != hostPort.lastIndexOf(':')) {
                throw FetchException.invalidUrl("The URL host is malformed (IPv6 addresses need brackets)");
            }
            host = c >= 0 ? hostPort.substring(0, c) : hostPort;
            portText = c >= 0 ? hostPort.substring(c + 1) : null;
        }
        int port = parsePort(portText);
        if (host.isEmpty()) {
            throw FetchException.invalidUrl("The URL has no host");
        }

        InetAddress literal;
        if (ipv6) {
            literal = parseIpv6(host);
            host = host.toLowerCase(Locale.ROOT);
        } else {
            host = normaliseName(host);
            String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            String lastLabel = bare.substring(bare.lastIndexOf('.') + 1);
            if (isNumericLabel(lastLabel)) {
                byte[] v4 = parseInetAton(bare);
                if (v4 == null) {
                    throw FetchException.invalidUrl("The URL host is not a valid IP address");
                }
                try {
                    literal = InetAddress.getByAddress(v4);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
                host = literal.getHostAddress();
            } else {
                literal = null;
            }
        }

        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        String encoded = encodeLenient(rest);
        int q = encoded.indexOf('?');
        String path = q >= 0 ? encoded.substring(0, q) : encoded;
        String query = q >= 0 ? encoded.substring(q + 1) : null;
        if (path.isEmpty()) {
            path = "/";
        }
        return new TargetUrl(scheme, host, ipv6, port, path, query, literal);
    }

    /** Resolves a Location header against this URL and parses the result with the same rules. */
    TargetUrl redirect(String location) throws FetchException {
        String loc = location.strip();
        int colon = loc.indexOf(':');
        int slash = loc.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash) && isScheme(loc.substring(0, colon))) {
            return parse(loc);
        }
        if (loc.startsWith("//")) {
            return parse(scheme + ":" + loc);
        }
        for (int i = 0; i < loc.length(); i++) {
            if (loc.charAt(i) < 0x20 || loc.charAt(i) == 0x7f) {
                throw FetchException.invalidUrl("The redirect location is malformed");
            }
        }
        int hash = loc.indexOf('#');
        String enc = encodeLenient(hash >= 0 ? loc.substring(0, hash) : loc);
        if (enc.isEmpty()) {
            return this;
        }
        if (enc.startsWith("?")) {
            return parse(scheme + "://" + authority() + rawPath + enc);
        }
        try {
            return parse(uri.resolve(new URI(enc)).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw FetchException.invalidUrl("The redirect location is malformed");
        }
    }

    private static boolean isScheme(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int parsePort(String text) throws FetchException {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw FetchException.invalidUrl("The URL port is invalid");
        }
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
            throw FetchException.invalidUrl("The URL port is invalid");
        }
        return p;
    }

    private static InetAddress parseIpv6(String host) throws FetchException {
        if (host.isEmpty() || host.indexOf(':') < 0
                || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            throw FetchException.invalidUrl("The URL host is not a valid IPv6 address");
        }
        try {
            return InetAddress.getByName("[" + host + "]"); // literal only, never a lookup
        } catch (UnknownHostException e) {
            throw FetchException.invalidUrl("The URL host is not a valid IPv6 address");
        }
    }

    private static String normaliseName(String host) throws FetchException {
        String h = host;
        if (!h.chars().allMatch(c -> c < 0x80)) {
            try {
                h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw FetchException.invalidUrl("The URL host is malformed");
            }
        }
        h = h.toLowerCase(Locale.ROOT);
        String bare = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (bare.isEmpty() || bare.length() > 253 || bare.startsWith(".") || bare.contains("..")
                || !bare.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_')) {
            throw FetchException.invalidUrl("The URL host is malformed");
        }
        return h;
    }

    /** A label a browser would treat as a number: decimal digits or 0x-hex. */
    static boolean isNumericLabel(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.startsWith("0x") || label.startsWith("0X")) {
            return label.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return label.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * inet_aton / WHATWG IPv4 parsing: 1 to 4 parts, each decimal, 0-octal or 0x-hex, the last part filling the
     * remaining bytes ({@code 127.1} is 127.0.0.1). Null if not a valid address.
     */
    static byte[] parseInetAton(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 40) {
                return null;
            }
            int radix = 10;
            if (p.startsWith("0x") || p.startsWith("0X")) {
                radix = 16;
                p = p.substring(2);
                if (p.isEmpty()) {
                    p = "0";
                }
            } else if (p.length() > 1 && p.charAt(0) == '0') {
                radix = 8;
                p = p.substring(1);
            }
            BigInteger v;
            try {
                v = new BigInteger(p, radix);
            } catch (NumberFormatException e) {
                return null;
            }
            if (v.signum() < 0 || v.bitLength() > 32) {
                return null;
            }
            values[i] = v.longValue();
        }
        int n = values.length;
        for (int i = 0; i < n - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
        }
        long last = values[n - 1];
        if (last >= (1L << (8 * (5 - n)))) {
            return null;
        }
        long addr = last;
        for (int i = 0; i < n - 1; i++) {
            addr |= values[i] << (8 * (3 - i));
        }
        return new byte[]{(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    }

    /** Percent-encodes what browsers would (non-ASCII, space, quotes ...) and stray '%'; keeps valid escapes. */
    static String encodeLenient(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                        && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    out.append(c);
                } else {
                    out.append("%25");
                }
            } else if (c > 0x7e || c <= 0x20 || ENCODE_IN_PATH.indexOf(c) >= 0) {
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                    end++;
                }
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Percent-decodes as UTF-8 (malformed sequences become U+FFFD). */
    static String percentDecode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
