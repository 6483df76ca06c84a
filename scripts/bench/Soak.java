import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scripts/soak: N clients against one service for M minutes, mixing sync and async uploads, URL ingest, reads,
 * duplicates queries and bad inputs; prints requests/s, latencies, 5xx, and the server's heap after GC, ExifTool
 * processes, open file descriptors and PostgreSQL connections at the start and the end.
 * Usage: Soak base-url api-key server-pid data-dir corpus-dir minutes clients warm-up-minutes
 */
public final class Soak {
    record Op(String name, int weight) {}

    // the mix, by weight: what a busy API sees, with a share of bad requests
    static final List<Op> MIX = List.of(new Op("upload sync", 15), new Op("upload async", 15), new Op("url ingest", 10),
            new Op("get image", 25), new Op("image duplicates", 8), new Op("duplicate clusters", 4),
            new Op("cameras search", 5), new Op("bad input", 18));

    final String base;
    final String key;
    final long serverPid;
    final Path dataDir;
    final List<Path> photos;
    final String fileServer;
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<Double>> latencies = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong requests = new AtomicLong();
    final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger ioErrors = new AtomicInteger();

    Soak(String base, String key, long serverPid, Path dataDir, List<Path> photos, String fileServer) {
        this.base = base;
        this.key = key;
        this.serverPid = serverPid;
        this.dataDir = dataDir;
        this.photos = photos;
        this.fileServer = fileServer;
    }

    public static void main(String[] a) throws Exception {
        Path corpus = Path.of(a[4]);
        HttpServer files = LoadSupport.loopbackFiles(corpus);
        Soak soak = new Soak(a[0], a[1], Long.parseLong(a[2]), Path.of(a[3]), LoadSupport.photos(corpus),
                "http://127.0.0.1:" + files.getAddress().getPort());
        boolean ok = soak.run(Double.parseDouble(a[5]), Integer.parseInt(a[6]), Double.parseDouble(a[7]));
        files.stop(0);
        System.exit(ok ? 0 : 1);
    }

    boolean run(double minutes, int clients, double warmUpMinutes) throws Exception {
        ResourceSampler sampler = new ResourceSampler("all", () -> serverPid).start();
        // a warm-up of the same mix, not counted, so the baseline heap is a warm server's (JIT, Hibernate's and the
        // catalog's caches, pools at their working size), not a cold one's: growth after it is what a leak would be
        System.out.printf("warm-up: the same mix for %.1f min, not counted%n", warmUpMinutes);
        for (int i = 0; i < 20; i++) {
            once("upload sync"); // images for the reads to read from the first request on
        }
        for (Thread t : mix(clients, System.nanoTime() + (long) (warmUpMinutes * 60e9))) {
            t.join(TimeUnit.SECONDS.toMillis(120));
        }
        int warmUpUnfinished = drain(120);
        System.out.printf("warm-up: %d requests, 5xx %d, %d unexpected, %d images unfinished after it%n", requests.get(),
                serverErrors.get(), unexpected.size(), warmUpUnfinished);
        boolean warmUpOk = serverErrors.get() == 0 && unexpected.isEmpty() && ioErrors.get() == 0;
        if (!warmUpOk) {
            unexpected.stream().limit(15).forEach(u -> System.out.println("  " + u));
        }
        requests.set(0);
        serverErrors.set(0);
        ioErrors.set(0);
        unexpected.clear();
        latencies.clear();
        statuses.clear();
        Snapshot start = snapshot(true);
        System.out.println("start: " + start);
        long t0 = System.nanoTime();
        long end = t0 + (long) (minutes * 60e9);
        List<Thread> threads = mix(clients, end);
        long lastRequests = 0;
        double lastSecs = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long n = requests.get();
            double now = BenchSupport.secs(t0);
            System.out.printf("[%5.0f s] %d requests (%.1f/s since the last line), 5xx %d; %s%n", now, n,
                    (n - lastRequests) / (now - lastSecs), serverErrors.get(), snapshot(false));
            lastRequests = n;
            lastSecs = now;
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(120));
        }
        double secs = BenchSupport.secs(t0);
        int unfinished = drain(120);
        Snapshot finish = snapshot(true);
        report(secs, start, finish, unfinished);
        System.out.println("resources (sampled each second from /proc, warm-up included; the k8s requests come from these):");
        System.out.println("  " + sampler.stop());
        double growth = (finish.heapAfterGcMb - start.heapAfterGcMb) / start.heapAfterGcMb;
        return warmUpOk && serverErrors.get() == 0 && unexpected.isEmpty() && unfinished == 0 && growth < 0.10
                && ioErrors.get() == 0;
    }

    /** Starts the clients, each sending requests of the mix until the time. */
    List<Thread> mix(int clients, long end) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    once(pick());
                }
            }, "soak-client-" + c);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    String pick() {
        int total = MIX.stream().mapToInt(Op::weight).sum();
        int r = ThreadLocalRandom.current().nextInt(total);
        for (Op op : MIX) {
            r -= op.weight();
            if (r < 0) {
                return op.name();
            }
        }
        throw new IllegalStateException();
    }

    /** One request of the kind; records its latency and status, and whether the answer was the one expected. */
    void once(String op) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try {
            Path photo = photos.get(rnd.nextInt(photos.size()));
            String id = ids.isEmpty() ? "01h00000000000000000000000" : ids.get(rnd.nextInt(ids.size()));
            HttpRequest request;
            String bad = null;
            int[] expect;
            switch (op) {
                case "upload sync", "upload async" -> {
                    LoadSupport.Multipart form = new LoadSupport.Multipart().field("async", String.valueOf(op.endsWith("async")))
                            .file("file", photo.getFileName().toString(), LoadSupport.unique(Files.readAllBytes(photo)));
                    request = LoadSupport.post(base + "/v1/images", key, form.contentType(), form.bytes(), null);
                    expect = new int[] {200, 202};
                }
                case "url ingest" -> {
                    String body = "{\"url\": \"" + fileServer + "/img/" + photo.getFileName() + "?u=" + UUID.randomUUID()
                            + "\", \"async\": " + rnd.nextBoolean() + "}";
                    request = LoadSupport.post(base + "/v1/images", key, "application/json",
                            body.getBytes(StandardCharsets.UTF_8), null);
                    expect = new int[] {200, 202};
                }
                case "get image" -> {
                    request = LoadSupport.request(base + "/v1/images/" + id, key).GET().build();
                    expect = new int[] {200};
                }
                case "image duplicates" -> {
                    request = LoadSupport.request(base + "/v1/images/" + id + "/duplicates?max_distance=8", key).GET().build();
                    expect = new int[] {200, 409}; // 409: not hashed yet
                }
                case "duplicate clusters" -> {
                    request = LoadSupport.request(base + "/v1/duplicates?limit=20", key).GET().build();
                    expect = new int[] {200};
                }
                case "cameras search" -> {
                    request = LoadSupport.request(base + "/v1/cameras?q=canon%20eos", key).GET().build();
                    expect = new int[] {200};
                }
                default -> {
                    int which = rnd.nextInt(6);
                    expect = new int[] {new int[] {415, 400, 404, 400, 401, 202}[which]};
                    request = switch (which) {
                        case 0 -> {
                            bad = "text upload";
                            LoadSupport.Multipart form = new LoadSupport.Multipart().file("file", "x.jpg",
                                    "not an image\n".repeat(40).getBytes(StandardCharsets.UTF_8));
                            yield LoadSupport.post(base + "/v1/images", key, form.contentType(), form.bytes(), null);
                        }
                        case 1 -> {
                            bad = "broken JSON";
                            yield LoadSupport.post(base + "/v1/images", key, "application/json",
                                    "{\"url\": ".getBytes(StandardCharsets.UTF_8), null);
                        }
                        case 2 -> {
                            bad = "unknown id";
                            yield LoadSupport.request(base + "/v1/images/01h" + "0".repeat(23), key).GET().build();
                        }
                        case 3 -> {
                            bad = "invalid wait";
                            yield LoadSupport.request(base + "/v1/images/" + id + "?wait=99", key).GET().build();
                        }
                        case 4 -> {
                            bad = "wrong key";
                            yield LoadSupport.request(base + "/v1/images/" + id, key + "x").GET().build();
                        }
                        default -> {
                            bad = "URL to the metadata address"; // accepted, then failed url_not_allowed
                            yield LoadSupport.post(base + "/v1/images", key, "application/json",
                                    "{\"url\": \"http://169.254.169.254/latest/meta-data/\", \"async\": true}"
                                            .getBytes(StandardCharsets.UTF_8), null);
                        }
                    };
                }
            }
            long t = System.nanoTime();
            LoadSupport.Answer r = LoadSupport.send(request);
            double ms = (System.nanoTime() - t) / 1e6;
            String label = bad == null ? op : "bad: " + bad;
            latencies.computeIfAbsent(label, k -> Collections.synchronizedList(new ArrayList<>())).add(ms);
            statuses.computeIfAbsent(String.valueOf(r.status()), k -> new AtomicInteger()).incrementAndGet();
            requests.incrementAndGet();
            if (r.status() >= 500) {
                serverErrors.incrementAndGet();
            }
            boolean expected = false;
            for (int s : expect) {
                expected |= s == r.status();
            }
            if (r.status() >= 400 && r.status() < 500 && r.json().path("ok").asBoolean(true)) {
                expected = false; // every 4xx is a JSON error
            }
            if (!expected) {
                unexpected.add(label + ": " + r);
            } else if (op.startsWith("upload") || op.equals("url ingest")) {
                ids.add(r.json().path("id").asText());
            }
        } catch (IOException | InterruptedException e) {
            ioErrors.incrementAndGet();
            unexpected.add(op + ": " + e);
        }
    }

    /** Waits for the images still queued or processing; returns how many did not finish in time. */
    int drain(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left;
            try (Connection c = db(); var s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from images where status in ('queued', 'processing')")) {
                rs.next();
                left = rs.getLong(1);
            }
            if (left == 0 || System.nanoTime() > deadline) {
                return (int) left;
            }
            Thread.sleep(1000);
        }
    }

    void report(double secs, Snapshot start, Snapshot finish, int unfinished) throws Exception {
        List<Double> all = new ArrayList<>();
        latencies.values().forEach(all::addAll);
        System.out.printf("%n%d requests in %.0f s: %.1f requests/s; p50 %.0f ms, p99 %.0f ms; 5xx: %d; connection errors: %d%n",
                requests.get(), secs, requests.get() / secs, BenchSupport.pct(all, 50), BenchSupport.pct(all, 99),
                serverErrors.get(), ioErrors.get());
        System.out.println("by status: " + new TreeMap<>(statuses));
        System.out.println("by kind (count, p50, p99 ms):");
        new TreeMap<>(latencies).forEach((k, v) -> System.out.printf("  %-34s %6d %8.0f %8.0f%n", k, v.size(),
                BenchSupport.pct(v, 50), BenchSupport.pct(v, 99)));
        try (Connection c = db(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("select status, coalesce(error_code, ''), count(*) from images group by 1, 2 order by 1, 2")) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(1)).append(rs.getString(2).isEmpty() ? "" : " " + rs.getString(2)).append(": ")
                        .append(rs.getLong(3)).append("; ");
            }
            System.out.println("images: " + b + "still unfinished after the drain: " + unfinished);
        }
        System.out.println("start: " + start);
        System.out.println("end:   " + finish);
        System.out.printf("heap after GC: %.0f MB -> %.0f MB (%+.1f %%, target under +10 %%)%n", start.heapAfterGcMb,
                finish.heapAfterGcMb, 100 * (finish.heapAfterGcMb - start.heapAfterGcMb) / start.heapAfterGcMb);
        if (!unexpected.isEmpty()) {
            System.out.println(unexpected.size() + " unexpected answers, the first:");
            unexpected.stream().limit(15).forEach(u -> System.out.println("  " + u));
        }
    }

    record Snapshot(double heapAfterGcMb, double heapUsedMb, int exiftools, int fds, int pgConnections, int threads) {
        @Override
        public String toString() {
            return (heapAfterGcMb > 0 ? String.format("heap after GC %.0f MB, ", heapAfterGcMb)
                    : String.format("heap used %.0f MB, ", heapUsedMb))
                    + "ExifTool processes " + exiftools + ", open fds " + fds + ", PostgreSQL connections " + pgConnections
                    + ", JVM threads " + threads;
        }
    }

    static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total\\s+(\\d+)K, used (\\d+)K");

    /** The server's resources; with gc, after a full collection (jcmd GC.run), so the heap figure is the live set. */
    Snapshot snapshot(boolean gc) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        if (gc) {
            BenchSupport.run(jcmd, String.valueOf(serverPid), "GC.run");
        }
        Process p = new ProcessBuilder(jcmd, String.valueOf(serverPid), "GC.heap_info").redirectErrorStream(true).start();
        String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = HEAP_USED.matcher(info);
        double used = m.find() ? Long.parseLong(m.group(2)) / 1024.0 : -1;
        int exiftools = ProcessHandle.of(serverPid).map(h -> h.descendants()
                .filter(d -> d.info().commandLine().orElse("").contains("exiftool")).count()).orElse(0L).intValue();
        int fds;
        try (var list = Files.list(Path.of("/proc/" + serverPid + "/fd"))) {
            fds = (int) list.count();
        }
        int threads;
        try (var list = Files.list(Path.of("/proc/" + serverPid + "/task"))) {
            threads = (int) list.count();
        }
        int connections;
        try (Connection c = db(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where backend_type = 'client backend'")) {
            rs.next();
            connections = rs.getInt(1) - 1; // not this one
        }
        return new Snapshot(gc ? used : -1, used, exiftools, fds, connections, threads);
    }

    /** The service's embedded PostgreSQL: its port from postmaster.pid, its password from the data dir. */
    Connection db() throws Exception {
        List<String> pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        String password = Files.readString(dataDir.resolve("postgres-password")).trim();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/postgres", "postgres", password);
    }
}
