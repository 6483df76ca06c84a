package dev.exifq.duplicates;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * Computed clusters per (user, hash, max_distance), kept while the user's library version is unchanged and
 * for at most the TTL, in this replica's memory. Concurrent requests for the same key wait for one
 * computation. Bounded by total size (26 bytes per clustered image), least recently used out first.
 * Each replica computes a key at most once per version; cursors are keys, not positions, so any replica
 * can serve any page.
 *
 * <p>Computations run on a small pool of their own (half the cores), not on the request thread: a request
 * waits at most {@code exifq.duplicates.cluster-wait} and then gets {@link ClustersComputingException} (202,
 * ask again), while the computation goes on and its result is cached for the next request. A big library at a
 * large distance can take minutes; no request, proxy or worker thread has to wait that long.
 */
@ApplicationScoped
public class ClusterCache {
    record Key(long userId, HashKind kind, int maxDistance, boolean anyOrientation) {
        Key(long userId, HashKind kind, int maxDistance) {
            this(userId, kind, maxDistance, false);
        }
    }

    private record Entry(long version, CompletableFuture<LibraryClusters> result, Instant created) {}

    private final Duration ttl;
    private final long maxBytes;
    private final Duration maxWait;
    private final Clock clock;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final ExecutorService computing = computePool();

    @Inject
    public ClusterCache(@ConfigProperty(name = "exifq.duplicates.cluster-cache-ttl", defaultValue = "10m") Duration ttl,
                        @ConfigProperty(name = "exifq.duplicates.cluster-cache-bytes", defaultValue = "268435456")
                        long maxBytes,
                        @ConfigProperty(name = "exifq.duplicates.cluster-wait", defaultValue = "20s") Duration maxWait) {
        this(ttl, maxBytes, maxWait, Clock.systemUTC());
    }

    ClusterCache(Duration ttl, long maxBytes, Clock clock) {
        this(ttl, maxBytes, Duration.ofMinutes(1), clock);
    }

    ClusterCache(Duration ttl, long maxBytes, Duration maxWait, Clock clock) {
        this.ttl = ttl;
        this.maxBytes = maxBytes;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    private static ExecutorService computePool() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "cluster-compute-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * The clusters for {@code key} at {@code version} or newer: cached, or computed in the background by
     * {@code compute} (given the version the caller read; it returns the result of the version it actually read
     * in its snapshot, which may be newer, and the entry is kept under that one).
     *
     * @throws ClustersComputingException if the computation (this request's or an earlier one's) is not done
     *                                    within the wait; it goes on and the next request may find it done
     */
    LibraryClusters get(Key key, long version, LongFunction<LibraryClusters> compute) {
        CompletableFuture<LibraryClusters> theirs = null;
        CompletableFuture<LibraryClusters> mine = new CompletableFuture<>();
        Entry placed = new Entry(version, mine, clock.instant());
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e != null && e.version() >= version && fresh(e) && !e.result().isCompletedExceptionally()) {
                theirs = e.result();
            } else {
                entries.put(key, placed);
            }
        }
        if (theirs == null) {
            computing.execute(() -> run(key, version, placed, compute));
            theirs = mine;
        }
        return await(theirs); // computed, or being computed: wait outside the lock
    }

    private void run(Key key, long version, Entry placed, LongFunction<LibraryClusters> compute) {
        CompletableFuture<LibraryClusters> mine = placed.result();
        try {
            LibraryClusters result = compute.apply(version);
            // under the lock: whoever wakes up sees the entry re-keyed and the cache already trimmed
            synchronized (entries) {
                if (entries.get(key) == placed && result.version() != version) {
                    entries.put(key, new Entry(result.version(), mine, placed.created()));
                }
                mine.complete(result);
                evict();
            }
        } catch (RuntimeException | Error t) {
            synchronized (entries) {
                entries.remove(key, placed);
                mine.completeExceptionally(t);
            }
        }
    }

    private LibraryClusters await(CompletableFuture<LibraryClusters> f) {
        try {
            return f.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ClustersComputingException(maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClustersComputingException(maxWait);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new CompletionException(e.getCause());
        }
    }

    private boolean fresh(Entry e) {
        return e.created().plus(ttl).isAfter(clock.instant());
    }

    /** Drops expired entries, then least recently used finished ones while over the size bound. */
    private void evict() {
        long total = 0;
        for (Entry e : entries.values()) {
            total += size(e);
        }
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!fresh(e) || (total > maxBytes && e.result().isDone())) {
                total -= size(e);
                it.remove();
            }
        }
    }

    private static long size(Entry e) {
        CompletableFuture<LibraryClusters> f = e.result();
        return f.isDone() && !f.isCompletedExceptionally() ? f.join().bytes() : 0;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
