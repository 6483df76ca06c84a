import com.sun.net.httpserver.HttpServer;
import dev.exifq.fetch.FetchSettings;
import dev.exifq.fetch.FetchStage;
import dev.exifq.fetch.UrlFetcher;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fetch stage's scheduling, measured without the rest of the service: URLs spread round-robin over 50 loopback
 * hosts (127.0.0.1 .. 127.0.0.50), every tenth of which answers {@code slowMs} late, each download followed by
 * {@code cpuMs} of busy CPU work standing in for ExifTool and the hashes, on 8 "CPU workers" (exifq's
 * local-workers). Two designs side by side on the same servers: the workers fetch themselves (before the stage),
 * and the stage (64 at once, 4 per host) hands finished downloads to the workers. Prints, per design, the wall time,
 * images/s, the share of the workers' time spent on CPU work, and when the last fast-host image finished.
 * Usage: scripts/bench-fetch [urls, default 1000] [slowMs, default 2000] [cpuMs, default 15]
 */
public class BenchFetch {
    static final int WORKERS = 8;
    static final int HOSTS = 50;

    public static void main(String[] args) throws Exception {
        int urls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long slowMs = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        long cpuMs = args.length > 2 ? Long.parseLong(args[2]) : 15;
        byte[] body = new byte[64 * 1024];
        List<HttpServer> servers = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        for (int h = 1; h <= HOSTS; h++) {
            boolean slow = h % 10 == 0;
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0." + h), 0), 256);
            s.setExecutor(Executors.newCachedThreadPool());
            s.createContext("/", ex -> {
                try {
                    if (slow) {
                        Thread.sleep(slowMs);
                    }
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ex.close();
                }
            });
            s.start();
            servers.add(s);
            bases.add("http://127.0.0." + h + ":" + s.getAddress().getPort() + "/");
        }
        FetchSettings settings = FetchSettings.defaults().withAllowedCidrs(List.of("127.0.0.0/8"))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(600));
        Path dir = Files.createTempDirectory("bench-fetch");
        try (UrlFetcher fetcher = new UrlFetcher(settings)) {
            System.out.printf("%d URLs over %d hosts, a tenth of them %d ms late; %d ms CPU per image on %d workers%n",
                    urls, HOSTS, slowMs, cpuMs, WORKERS);
            for (int round = 0; round < 2; round++) {
                run("workers fetch", urls, bases, cpuMs, dir, fetcher, null);
                try (FetchStage stage = new FetchStage(fetcher, 64, 4, null)) {
                    run("fetch stage  ", urls, bases, cpuMs, dir, fetcher, stage);
                }
            }
        } finally {
            servers.forEach(s -> s.stop(0));
        }
        System.exit(0);
    }

    /** One design over all URLs; the CPU step of an image stands in for ExifTool and the hashes. */
    static void run(String name, int urls, List<String> bases, long cpuMs, Path dir, UrlFetcher fetcher,
                    FetchStage stage) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        AtomicLong cpuNanos = new AtomicLong();
        AtomicLong lastFast = new AtomicLong();
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < urls; i++) {
            int host = i % HOSTS;
            String url = bases.get(host) + name.trim().replace(' ', '-') + "/" + i;
            Path target = dir.resolve(name.trim().replace(' ', '-') + "-" + i);
            Runnable cpu = () -> {
                long t = System.nanoTime();
                while (System.nanoTime() - t < cpuMs * 1_000_000) {
                    Math.sqrt(t); // busy
                }
                cpuNanos.addAndGet(System.nanoTime() - t);
                if ((host + 1) % 10 != 0) {
                    lastFast.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
            };
            if (stage == null) {
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        fetcher.fetch(url, target);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    cpu.run();
                }, workers));
            } else {
                all.add(stage.fetch(url, target).thenRunAsync(cpu, workers));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        long wall = System.nanoTime() - start;
        workers.shutdown();
        System.out.printf("%s  %6.1f s  %6.1f images/s  workers on CPU work %5.1f %%  last fast-host image at %5.1f s%n",
                name, wall / 1e9, urls / (wall / 1e9), 100.0 * cpuNanos.get() / (WORKERS * (double) wall),
                lastFast.get() / 1e9);
    }
}
