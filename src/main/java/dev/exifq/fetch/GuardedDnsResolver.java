package dev.exifq.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The only place the HTTP client gets addresses from: resolves once, refuses the host if ANY address is
 * blocked, and hands the client exactly the addresses it checked. There is no second lookup between check and
 * connect, so a DNS answer that changes (rebinding) cannot slip an internal address in.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final AddressPolicy policy;

    GuardedDnsResolver(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(h);
        if (all.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress a : all) {
            String why = policy.whyBlocked(a);
            if (why != null) {
                throw new BlockedAddressException(why);
            }
        }
        return all;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        InetAddress[] all = resolve(host);
        List<InetSocketAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // no reverse lookups
    }

    /** A host that resolved, but to an address the policy blocks. */
    static final class BlockedAddressException extends UnknownHostException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        BlockedAddressException(String reason) {
            super("blocked: " + reason);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
