package dev.exifq.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The only place the HTTP client gets addresses from: resolves once, refuses the host if ANY address is
 * blocked, and hands the client exactly the addresses it checked. There is no second lookup between check and
 * connect, so a DNS answer that changes (rebinding) cannot slip an internal address in.
 *
 * <p>The JDK's lookup cannot be cancelled or given a timeout, and a hostile URL can name a host whose
 * nameserver never answers. So the lookup runs on a small pool of its own and the fetch waits for it at most
 * the lookup timeout, then fails as a transient "could not be resolved right now"; the abandoned lookup ends
 * when the system resolver gives up. At most {@link #MAX_LOOKUPS} lookups are in flight; beyond that a fetch
 * fails the same way rather than queueing behind a stuck nameserver.
 */
public final class GuardedDnsResolver implements DnsResolver {
    static final int MAX_LOOKUPS = 32;

    /** The system lookup, replaceable in tests by one that hangs. */
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    private static final ThreadPoolExecutor LOOKUPS = lookupPool();

    private final AddressPolicy policy;
    private final Duration timeout;
    private final Lookup lookup;

    /** Also for other outbound clients that must pass the same guard (webhooks). */
    public GuardedDnsResolver(AddressPolicy policy, Duration timeout) {
        this(policy, timeout, InetAddress::getAllByName);
    }

    GuardedDnsResolver(AddressPolicy policy, Duration timeout, Lookup lookup) {
        this.policy = policy;
        this.timeout = timeout;
        this.lookup = lookup;
    }

    private static ThreadPoolExecutor lookupPool() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, MAX_LOOKUPS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "dns-lookup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = lookupWithin(h);
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

    private InetAddress[] lookupWithin(String host) throws UnknownHostException {
        Future<InetAddress[]> answer;
        try {
            answer = LOOKUPS.submit(() -> lookup.all(host));
        } catch (RejectedExecutionException e) {
            throw new UnknownHostException("temporary failure: too many host name lookups in flight");
        }
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new UnknownHostException("temporary failure: no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnknownHostException("temporary failure: interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            UnknownHostException u = new UnknownHostException("lookup failed: " + e.getCause());
            u.initCause(e.getCause());
            throw u;
        }
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
    public static final class BlockedAddressException extends UnknownHostException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        BlockedAddressException(String reason) {
            super("blocked: " + reason);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
