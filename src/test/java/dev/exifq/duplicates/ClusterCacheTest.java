package dev.exifq.duplicates;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterCacheTest {
    private static final ClusterCache.Key KEY = new ClusterCache.Key(7, HashKind.PHASH, 6);

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static LibraryClusters result(long version) {
        return new LibraryClusters(version, new byte[0], new int[]{0}, 0);
    }

    @Test
    void computesOncePerVersion() {
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 1 << 20, new MutableClock());
        AtomicInteger computed = new AtomicInteger();
        LibraryClusters first = cache.get(KEY, 3, v -> { computed.incrementAndGet(); return result(3); });
        assertSame(first, cache.get(KEY, 3, v -> { computed.incrementAndGet(); return result(3); }));
        assertEquals(1, computed.get());
        LibraryClusters newer = cache.get(KEY, 4, v -> { computed.incrementAndGet(); return result(4); });
        assertEquals(4, newer.version());
        assertEquals(2, computed.get());
        // another key is computed separately
        cache.get(new ClusterCache.Key(7, HashKind.DHASH, 6), 4, v -> { computed.incrementAndGet(); return result(4); });
        assertEquals(3, computed.get());
    }

    @Test
    void keepsTheVersionTheComputationActuallyRead() {
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 1 << 20, new MutableClock());
        AtomicInteger computed = new AtomicInteger();
        cache.get(KEY, 3, v -> { computed.incrementAndGet(); return result(5); }); // library moved on meanwhile
        cache.get(KEY, 5, v -> { computed.incrementAndGet(); return result(5); });
        assertEquals(1, computed.get());
    }

    @Test
    void expires() {
        MutableClock clock = new MutableClock();
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 1 << 20, clock);
        AtomicInteger computed = new AtomicInteger();
        cache.get(KEY, 1, v -> { computed.incrementAndGet(); return result(1); });
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        cache.get(KEY, 1, v -> { computed.incrementAndGet(); return result(1); });
        assertEquals(2, computed.get());
    }

    @Test
    void failuresAreNotCached() {
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 1 << 20, new MutableClock());
        assertThrows(IllegalStateException.class, () -> cache.get(KEY, 1, v -> { throw new IllegalStateException("db down"); }));
        assertEquals(0, cache.size());
        assertEquals(1, cache.get(KEY, 1, v -> result(1)).version());
    }

    @Test
    void boundedBySize() {
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 200, new MutableClock());
        for (int user = 0; user < 10; user++) {
            cache.get(new ClusterCache.Key(user, HashKind.PHASH, 6), 1,
                    v -> new LibraryClusters(1, new byte[26 * 4], new int[]{0, 4}, 4));
        }
        assertEquals(1, cache.size());
    }

    @Test
    void concurrentRequestsShareOneComputation() throws Exception {
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 1 << 20, new MutableClock());
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<LibraryClusters> first = pool.submit(() -> cache.get(KEY, 1, v -> {
                computed.incrementAndGet();
                started.countDown();
                await(release);
                return result(1);
            }));
            started.await(5, TimeUnit.SECONDS);
            Future<LibraryClusters> second = pool.submit(() -> cache.get(KEY, 1, v -> {
                computed.incrementAndGet();
                return result(1);
            }));
            Thread.sleep(100);
            release.countDown();
            assertSame(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
            assertEquals(1, computed.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestWaitsAtMostTheWaitAndTheComputationGoesOnForTheNextOne() throws Exception {
        ClusterCache cache = new ClusterCache(Duration.ofMinutes(10), 1 << 20, Duration.ofMillis(200), new MutableClock());
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        long start = System.nanoTime();
        assertThrows(ClustersComputingException.class, () -> cache.get(KEY, 1, v -> {
            computed.incrementAndGet();
            await(release);
            return result(1);
        }));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMs >= 150 && waitedMs < 3000, "waited " + waitedMs + " ms");
        // still computing: a second request waits on the same computation and gives up the same way
        assertThrows(ClustersComputingException.class, () -> cache.get(KEY, 1, v -> {
            computed.incrementAndGet();
            return result(1);
        }));
        release.countDown();
        LibraryClusters later = null;
        for (int i = 0; i < 50 && later == null; i++) {
            try {
                later = cache.get(KEY, 1, v -> { computed.incrementAndGet(); return result(1); });
            } catch (ClustersComputingException notYet) {
                Thread.sleep(20);
            }
        }
        assertEquals(1, later.version());
        assertEquals(1, computed.get(), "one computation served all three requests");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
