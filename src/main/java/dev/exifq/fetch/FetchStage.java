package dev.exifq.fetch;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The I/O stage of URL ingest: downloads run here, on threads of their own, so that a slow host costs one of
 * these threads and a connection rather than a worker that could run ExifTool or the hashes.
 *
 * <p>At most {@code maxDownloads} run at once, and at most {@code perHost} per host name (as written in the URL,
 * lower-cased; a redirect to another host still counts against the first). A download beyond either cap waits
 * here, in a queue per host, without a thread; when a slot frees, the hosts that have room take turns, so a
 * thousand URLs of one slow host do not hold back a few of another.
 *
 * <p>Each download is {@link UrlFetcher#fetch} unchanged, on a plain thread: the SSRF guard, the limits and the
 * redirect checks are the same code that served the workers before. HttpClient 5's async client would have
 * needed a second fetcher (its own resolver hook, redirect loop, body limit and peer check), and two code paths
 * to keep equally safe; a waiting download costs no thread either way, and a running one is a parked thread of
 * a small stack, which 64 of cost less than the risk.
 *
 * <p>The returned future completes on the download's thread while it still holds its slot, so what the caller
 * chains on it (storing the file) is part of the download's I/O, not of the next one's.
 *
 * <p>Meters: {@code exifq.fetch.in.flight} and {@code exifq.fetch.waiting} (gauges), and
 * {@code exifq.fetch.host.cap.waits} (downloads that had to wait although the global cap had room: their host
 * was at its cap).
 */
public final class FetchStage implements AutoCloseable {
    private final UrlFetcher fetcher;
    private final int maxDownloads;
    private final int perHost;
    private final ThreadPoolExecutor threads;
    private final Counter hostCapWaits;

    // all guarded by this
    private final Map<String, Host> hosts = new HashMap<>();
    /** Hosts with waiting downloads and room under their cap, in turn. */
    private final ArrayDeque<Host> ready = new ArrayDeque<>();
    private int running;
    private int waiting;

    /**
     * @param meters where the stage's gauges go; null: none
     */
    public FetchStage(UrlFetcher fetcher, int maxDownloads, int perHost, MeterRegistry meters) {
        if (maxDownloads < 1 || perHost < 1) {
            throw new IllegalArgumentException("maxDownloads and perHost must be at least 1");
        }
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.maxDownloads = maxDownloads;
        this.perHost = perHost;
        AtomicInteger n = new AtomicInteger();
        // never more tasks than threads: the stage hands one over only when a slot is free
        this.threads = new ThreadPoolExecutor(maxDownloads, maxDownloads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "fetch-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        threads.allowCoreThreadTimeOut(true);
        if (meters != null) {
            Gauge.builder("exifq.fetch.in.flight", this, FetchStage::inFlight)
                    .description("URL downloads running now").register(meters);
            Gauge.builder("exifq.fetch.waiting", this, FetchStage::waiting)
                    .description("URL downloads waiting for a slot (global or per-host cap)").register(meters);
            this.hostCapWaits = Counter.builder("exifq.fetch.host.cap.waits")
                    .description("URL downloads that waited because their host was at its cap").register(meters);
        } else {
            this.hostCapWaits = null;
        }
    }

    /**
     * Downloads {@code url} into {@code target} when a slot is free, as {@link UrlFetcher#fetch} does.
     *
     * @return completes with the result, or exceptionally with the {@link FetchException} (or, for a bug or a
     *         stage that was closed, another exception)
     */
    public CompletableFuture<FetchResult> fetch(String url, Path target) {
        return enqueue(url, target, false);
    }

    /**
     * As {@link #fetch}, but ahead of the downloads already waiting for the same host (the caps still hold): for a
     * caller that blocks a thread on the result. Queued at the back, it would wait for the whole backlog of its
     * host, and a worker doing so cannot run the downloads that finish meanwhile: with a backlog of hundreds of
     * URLs of one host, the workers stood idle for seconds while downloaded images waited for them.
     */
    public CompletableFuture<FetchResult> fetchNext(String url, Path target) {
        return enqueue(url, target, true);
    }

    private CompletableFuture<FetchResult> enqueue(String url, Path target, boolean first) {
        Download d = new Download(url, target, new CompletableFuture<>());
        synchronized (this) {
            Host host = hosts.computeIfAbsent(hostKey(url), Host::new);
            if (first) {
                host.waiting.addFirst(d);
            } else {
                host.waiting.addLast(d);
            }
            waiting++;
            if (host.running >= perHost && running < maxDownloads && hostCapWaits != null) {
                hostCapWaits.increment();
            }
            markReady(host);
            dispatch();
        }
        return d.result;
    }

    public synchronized int inFlight() {
        return running;
    }

    public synchronized int waiting() {
        return waiting;
    }

    public int maxDownloads() {
        return maxDownloads;
    }

    public int perHost() {
        return perHost;
    }

    /** The per-host key: the URL's host, lower-cased; an unparseable URL fails in the fetcher, under one key. */
    static String hostKey(String url) {
        try {
            return TargetUrl.parse(url).host;
        } catch (FetchException e) {
            return "";
        }
    }

    private void markReady(Host host) {
        if (!host.ready && !host.waiting.isEmpty() && host.running < perHost) {
            host.ready = true;
            ready.addLast(host);
        }
    }

    /** Starts waiting downloads while both caps allow, one host after another. Holds the lock. */
    private void dispatch() {
        while (running < maxDownloads && !ready.isEmpty()) {
            Host host = ready.pollFirst();
            host.ready = false;
            Download d = host.waiting.pollFirst();
            waiting--;
            host.running++;
            running++;
            markReady(host);
            try {
                threads.execute(() -> run(host, d));
            } catch (RejectedExecutionException e) {
                // closed: nothing runs any more
                host.running--;
                running--;
                d.result.completeExceptionally(e);
            }
        }
    }

    private void run(Host host, Download d) {
        try {
            FetchResult result = fetcher.fetch(d.url, d.target);
            d.result.complete(result);
        } catch (Throwable t) {
            d.result.completeExceptionally(t);
        } finally {
            synchronized (this) {
                host.running--;
                running--;
                if (host.running == 0 && host.waiting.isEmpty()) {
                    hosts.remove(host.key);
                } else {
                    markReady(host);
                }
                dispatch();
            }
        }
    }

    /** Stops the threads; downloads still waiting never start (their futures stay open, like a node that died). */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    private static final class Host {
        final String key;
        final ArrayDeque<Download> waiting = new ArrayDeque<>();
        int running;
        boolean ready;

        Host(String key) {
            this.key = key;
        }
    }

    private record Download(String url, Path target, CompletableFuture<FetchResult> result) {
    }
}
