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
import java.util.function.LongFunction;

/**
 * Computed clusters per (user, hash, max_distance), kept while the user's library version is unchanged and
 * for at most the TTL, in this replica's memory. Concurrent requests for the same key wait for one
 * computation. Bounded by total size (26 bytes per clustered image), least recently used out first.
 * Each replica computes a key at most once per version; cursors are keys, not positions, so any replica
 * can serve any page.
 */
@ApplicationScoped
public class ClusterCache {
    record Key(long userId, HashKind kind, int maxDistance) {}

    private record Entry(long version, CompletableFuture<LibraryClusters> result, Instant created) {}

    private final Duration ttl;
    private final long maxBytes;
    private final Clock clock;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    @Inject
    public ClusterCache(@ConfigProperty(name = "exifq.duplicates.cluster-cache-ttl", defaultValue = "10m") Duration ttl,
                        @ConfigProperty(name = "exifq.duplicates.cluster-cache-bytes", defaultValue = "268435456")
                        long maxBytes) {
        this(ttl, maxBytes, Clock.systemUTC());
    }

    ClusterCache(Duration ttl, long maxBytes, Clock clock) {
        this.ttl = ttl;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * The clusters for {@code key} at {@code version} or newer: cached, or computed now by {@code compute}
     * (given the version the caller read; it returns the result of the version it actually read in its
     * snapshot, which may be newer, and the entry is kept under that one).
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
        if (theirs != null) {
            return join(theirs); // computed, or being computed by another request: wait outside the lock
        }
        try {
            LibraryClusters result = compute.apply(version);
            mine.complete(result);
            synchronized (entries) {
                if (entries.get(key) == placed && result.version() != version) {
                    entries.put(key, new Entry(result.version(), mine, placed.created()));
                }
                evict();
            }
            return result;
        } catch (RuntimeException | Error t) {
            mine.completeExceptionally(t);
            synchronized (entries) {
                entries.remove(key, placed);
            }
            throw t;
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

    private static LibraryClusters join(CompletableFuture<LibraryClusters> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }
}
