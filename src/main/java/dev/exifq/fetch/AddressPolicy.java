package dev.exifq.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The SSRF rules: which resolved addresses a user-supplied URL may reach.
 *
 * <p>Blocked unless an allowlisted CIDR covers the address: loopback, private, link-local (incl. cloud metadata
 * 169.254.169.254), CGNAT, multicast, unspecified, broadcast, reserved, benchmarking, documentation, IPv6 ULA,
 * site-local, discard-only, everything outside IPv6 global unicast 2000::/3, and IPv6 forms that embed an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded IPv4
 * address. Local-use NAT64 64:ff9b:1::/48 and Teredo 2001::/32 are blocked whole (their embedded address may be
 * internal and Teredo has no legitimate use for fetching images).
 *
 * <p>An allowlisted range opens exactly what it says: {@code 127.0.0.0/8} also opens {@code ::ffff:127.0.0.1},
 * {@code 64:ff9b::7f00:1} and {@code 2002:7f00:1::} (their IPv4 is judged against the allowlist), but not
 * {@code ::1}. Immutable and thread-safe.
 */
public final class AddressPolicy {

    private static final List<Range> V4_BLOCKED = List.of(
            range("0.0.0.0/8", "unspecified (this-network) address"),
            range("10.0.0.0/8", "private network address"),
            range("100.64.0.0/10", "carrier-grade NAT (shared) address"),
            range("127.0.0.0/8", "loopback address"),
            range("169.254.0.0/16", "link-local address"),
            range("172.16.0.0/12", "private network address"),
            range("192.0.0.0/24", "reserved (IETF protocol assignment) address"),
            range("192.0.2.0/24", "documentation address"),
            range("192.88.99.0/24", "reserved (6to4 relay anycast) address"),
            range("192.168.0.0/16", "private network address"),
            range("198.18.0.0/15", "benchmarking address"),
            range("198.51.100.0/24", "documentation address"),
            range("203.0.113.0/24", "documentation address"),
            range("224.0.0.0/4", "multicast address"),
            range("255.255.255.255/32", "broadcast address"),
            range("240.0.0.0/4", "reserved address"));

    /** Checked before the embedded-IPv4 forms, in order; first match wins. */
    private static final List<Range> V6_BLOCKED = List.of(
            range("::/128", "unspecified address"),
            range("::1/128", "loopback address"),
            range("64:ff9b:1::/48", "local-use NAT64 address"),
            range("100::/64", "discard-only address"),
            range("2001::/32", "Teredo tunnel address"),
            range("2001:2::/48", "benchmarking address"),
            range("2001:10::/28", "reserved (ORCHID) address"),
            range("2001:20::/28", "reserved (ORCHIDv2) address"),
            range("2001:db8::/32", "documentation address"),
            range("3fff::/20", "documentation address"),
            range("fc00::/7", "private network (unique local) address"),
            range("fe80::/10", "link-local address"),
            range("fec0::/10", "site-local address"),
            range("ff00::/8", "multicast address"));

    /** Built from bytes: parsing "::ffff:0:0" would give the IPv4 address 0.0.0.0 (the JDK unmaps it). */
    private static final Cidr V4_MAPPED = new Cidr(
            new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);
    private static final Cidr V4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

    private static final AddressPolicy STRICT = new AddressPolicy(List.of());

    private final List<Cidr> allowed;

    /**
     * @param allowedCidrs ranges to exempt, e.g. {@code 127.0.0.0/8}, {@code ::1/128}; a bare address means a
     *                     single host; blank entries are skipped
     * @throws IllegalArgumentException if an entry is not a valid IPv4/IPv6 CIDR (host names are not accepted)
     */
    public AddressPolicy(List<String> allowedCidrs) {
        this.allowed = parseCidrs(allowedCidrs);
    }

    /** The policy with nothing allowlisted. */
    public static AddressPolicy strict() {
        return STRICT;
    }

    /** True if a fetch may connect to this address. */
    public boolean allowed(InetAddress address) {
        return whyBlocked(address) == null;
    }

    /**
     * Null if the address may be reached, else a short reason fit for a user-facing message, e.g.
     * {@code "loopback address"} or {@code "IPv4-mapped IPv6 form of a private network address"}.
     */
    public String whyBlocked(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return whyBlocked(address.getAddress());
    }

    /** The allowlist as normalised CIDR strings. */
    public List<String> allowedCidrs() {
        return allowed.stream().map(Cidr::toString).toList();
    }

    private String whyBlocked(byte[] a) {
        for (Cidr c : allowed) {
            if (c.contains(a)) {
                return null;
            }
        }
        if (a.length == 4) {
            for (Range r : V4_BLOCKED) {
                if (r.cidr.contains(a)) {
                    return r.reason;
                }
            }
            return null;
        }
        for (Range r : V6_BLOCKED) {
            if (r.cidr.contains(a)) {
                return r.reason;
            }
        }
        if (V4_MAPPED.contains(a)) {
            return embedded("IPv4-mapped", Arrays.copyOfRange(a, 12, 16));
        }
        if (V4_COMPATIBLE.contains(a)) {
            // deprecated form with no legitimate use: blocked even when the embedded IPv4 is public
            String why = embedded("IPv4-compatible", Arrays.copyOfRange(a, 12, 16));
            return why != null ? why : "reserved (IPv4-compatible) address";
        }
        if (NAT64.contains(a)) {
            return embedded("NAT64", Arrays.copyOfRange(a, 12, 16));
        }
        if (SIX_TO_FOUR.contains(a)) {
            return embedded("6to4", Arrays.copyOfRange(a, 2, 6));
        }
        if (!GLOBAL_UNICAST.contains(a)) {
            return "reserved address";
        }
        return null;
    }

    private String embedded(String form, byte[] v4) {
        String why = whyBlocked(v4);
        return why == null ? null : form + " IPv6 form of a " + why;
    }

    /** Parses and validates an allowlist; blank entries are skipped. */
    static List<Cidr> parseCidrs(List<String> cidrs) {
        if (cidrs == null) {
            return List.of();
        }
        List<Cidr> out = new ArrayList<>();
        for (String s : cidrs) {
            if (s == null || s.isBlank()) {
                continue;
            }
            out.add(Cidr.parse(s.trim()));
        }
        return List.copyOf(out);
    }

    private static Range range(String cidr, String reason) {
        return new Range(Cidr.parse(cidr), reason);
    }

    private record Range(Cidr cidr, String reason) {
    }

    /** An IPv4 or IPv6 network. Parsing never does a DNS lookup. */
    static final class Cidr {
        private final byte[] network;
        private final int prefix;

        private Cidr(byte[] network, int prefix) {
            this.network = network;
            this.prefix = prefix;
            mask(network, prefix);
        }

        static Cidr parse(String text) {
            String s = text.trim();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            byte[] bytes;
            int extra = 0;
            if (addr.indexOf(':') >= 0) {
                InetAddress parsed = parseV6Literal(addr, text);
                bytes = parsed.getAddress();
                if (parsed instanceof Inet4Address) {
                    extra = 96; // JDK turns ::ffff:a.b.c.d into IPv4
                }
            } else {
                bytes = parseDottedQuad(addr);
                if (bytes == null) {
                    throw bad(text);
                }
            }
            int max = bytes.length * 8 + extra;
            int prefix = max;
            if (slash >= 0) {
                String p = s.substring(slash + 1);
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw bad(text);
                }
                prefix = Integer.parseInt(p);
                if (prefix > max || prefix < extra) {
                    throw bad(text);
                }
            }
            return new Cidr(bytes, prefix - extra);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            byte[] copy = address.clone();
            mask(copy, prefix);
            return Arrays.equals(copy, network);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void mask(byte[] b, int prefix) {
            for (int i = 0; i < b.length; i++) {
                int bits = Math.max(0, Math.min(8, prefix - i * 8));
                b[i] &= (byte) (0xff << (8 - bits));
            }
        }

        private static InetAddress parseV6Literal(String addr, String original) {
            if (addr.isEmpty() || !addr.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw bad(original);
            }
            try {
                // brackets make the JDK treat it strictly as an IPv6 literal: no name lookup, ever
                return InetAddress.getByName("[" + addr + "]");
            } catch (UnknownHostException e) {
                throw bad(original);
            }
        }

        private static IllegalArgumentException bad(String text) {
            return new IllegalArgumentException("Invalid CIDR in allowlist: '" + text
                    + "' (expected e.g. 10.0.0.0/8 or fd00::/8)");
        }
    }

    /** Strict a.b.c.d, decimal, no leading zeros; null if not. */
    static byte[] parseDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
