import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Run by scripts/bench-ingest (compiled with BenchSupport.java): java BenchIngest BASE KEY EXIFTOOL CORPUS PASSES CONCURRENCY [SERVER_PID DATA_DIR] */
public class BenchIngest {
    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(\\w+)\"");
    static String base, key;
    /** Health and metrics are on the management port (scripts/bench-ingest sets it for both sides). */
    static final String MANAGEMENT = "http://127.0.0.1:" + System.getenv().getOrDefault("EXIFQ_MANAGEMENT_PORT", "9000");

    public static void main(String[] a) throws Exception {
        base = a[0];
        key = a[1];
        String exiftool = a[2];
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(a[3]))) {
            // BENCH_SKIP: a regex of file names to leave out, e.g. '(?i).*\\.hei[cf]' for the HEIC/HEIF files, whose
            // hashing (a full decode through libheif) costs more than everything else of the corpus together
            String skip = System.getenv("BENCH_SKIP");
            files = s.filter(Files::isRegularFile)
                    .filter(f -> skip == null || skip.isEmpty() || !f.getFileName().toString().matches(skip))
                    .sorted().toList();
        }
        int passes = Integer.parseInt(a[4]);
        int concurrency = Integer.parseInt(a[5]);
        serverPid = a.length > 6 ? Long.parseLong(a[6]) : -1;
        CpuSplit.dataDir = a.length > 7 ? a[7] : null;
        Path oneMb = files.stream().filter(p -> p.getFileName().toString().equals("exifsamples__jpg__tests__35-empty.jpg"))
                .findFirst().orElse(files.get(0));
        BenchSupport.waitReady(MANAGEMENT);

        List<String> cmd = new ArrayList<>(List.of(exiftool, "-json", "-g", "-struct"));
        files.forEach(f -> cmd.add(f.toString()));

        // Throughput: `passes` measured rounds (below), `concurrency` uploads in flight. Measured in the steady
        // state: unmeasured passes first (the corpus uploaded, then as many URLs) until the JIT compiler has
        // settled, i.e. used under 5 % of one core in two passes in a row. A fresh server needs about 20,000
        // images for that: a method called once or twice per image reaches C2's threshold (5,000 calls, raised
        // while its queue is long) only then, and until it does C2 keeps compiling (1-2 ms of CPU per image after
        // 8,000 images, 0.3 after 20,000); at most BENCH_WARMUP_PASSES (80).
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        // URL ingest: the same corpus served by a loopback server in this JVM, each URL a unique copy (a trailer
        // after the image data, as for uploads), BENCH_URLS of them per round
        int urlCount = Integer.parseInt(System.getenv().getOrDefault("BENCH_URLS", "1000"));
        com.sun.net.httpserver.HttpServer fileServer = serveCorpus(files);
        String fileServerUrl = "http://127.0.0.1:" + fileServer.getAddress().getPort();
        int maxWarmups = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_PASSES", "80"));
        int warmups = 0;
        int settledPasses = 0;
        while (warmups < maxWarmups && settledPasses < 2) {
            double jit0 = jitMillis();
            long w0 = System.nanoTime();
            ingestAll(pool, files);
            if (urlCount > 0) {
                // the URL path's own code (the fetcher, the download stage) warms up too, or the measured URL
                // rounds would pay its compilation
                ingestUrls(pool, fileServerUrl, files.size(), files.size(), -1 - warmups);
            }
            double passMs = (System.nanoTime() - w0) / 1e6;
            double warmJitShare = (jitMillis() - jit0) / passMs;
            warmups++;
            System.err.printf("warm-up pass %d: %.1f images/s, JIT %.0f %% of one core%n", warmups,
                    (urlCount > 0 ? 2 : 1) * files.size() / (passMs / 1000), 100 * warmJitShare);
            settledPasses = warmJitShare < 0.05 ? settledPasses + 1 : 0;
        }
        if (urlCount > files.size()) {
            // one burst of the measured size, unmeasured: a burst larger than the server's local queue takes paths
            // the corpus-sized passes never reach (JobRunr jobs for the surplus, workers fetching their own
            // downloads), whose compilation would otherwise land in the first measured URL round
            long b0 = System.nanoTime();
            double jit0 = jitMillis();
            ingestUrls(pool, fileServerUrl, files.size(), urlCount, -1000);
            double burstMs = (System.nanoTime() - b0) / 1e6;
            System.err.printf("warm-up burst of %d URLs: %.1f images/s, JIT %.0f %% of one core%n", urlCount,
                    urlCount / (burstMs / 1000), 100 * (jitMillis() - jit0) / burstMs);
        }
        // Measured in rounds, each running both baselines on the same files right before the API: this shared
        // VM's speed drifts by up to a factor of two within minutes (one run's batch baseline measured 93.6 files/s
        // before the API run and 48.9 after it), so only figures taken side by side are compared. Per round:
        // exiftool spawned once per file over the corpus, one exiftool process over the corpus (best of three:
        // the strictest bar), then the API on `apiPasses` copies of the corpus, async, then polled.
        int apiPasses = 2;
        List<double[]> urlRounds = new ArrayList<>(); // {batch files/s, URL images/s}
        CpuSplit urlCpu = new CpuSplit(0, 0, 0, 0);
        List<Path> work = new ArrayList<>();
        for (int p = 0; p < apiPasses; p++) work.addAll(files);
        List<double[]> rounds = new ArrayList<>(); // {spawn files/s, batch files/s, API images/s}
        CpuSplit cpu = new CpuSplit(0, 0, 0, 0);
        Map<String, Double> threads = new java.util.LinkedHashMap<>();
        double jitMs = 0;
        double measuredMs = 0;
        int failed = 0;
        for (int r = 1; r <= passes; r++) {
            long t0 = System.nanoTime();
            for (Path f : files) BenchSupport.run(exiftool, "-json", "-g", "-struct", f.toString());
            double spawnRate = files.size() / BenchSupport.secs(t0);
            double batchRate = batchRate(cmd, files.size());

            double jitBefore = jitMillis();
            CpuSplit cpuBefore = CpuSplit.of(serverPid);
            Map<String, Double> threadsBefore = BenchSupport.threadCpu(serverPid);
            t0 = System.nanoTime();
            failed += ingestAll(pool, work);
            double ms = (System.nanoTime() - t0) / 1e6;
            cpu = cpu.plus(CpuSplit.of(serverPid).minus(cpuBefore));
            BenchSupport.threadCpu(serverPid).forEach((group, total) -> threads.merge(group, total - threadsBefore.getOrDefault(group, 0.0), Double::sum));
            jitMs += jitMillis() - jitBefore;
            measuredMs += ms;
            double apiRate = work.size() / (ms / 1000);
            rounds.add(new double[] {spawnRate, batchRate, apiRate});
            System.err.printf("round %d: spawn %.1f files/s, batch %.1f files/s, API %.1f images/s = %.1fx spawn, %.2fx batch%n",
                    r, spawnRate, batchRate, apiRate, apiRate / spawnRate, apiRate / batchRate);
            if (urlCount > 0) {
                CpuSplit before = CpuSplit.of(serverPid);
                t0 = System.nanoTime();
                failed += ingestUrls(pool, fileServerUrl, files.size(), urlCount, r);
                double urlRate = urlCount / BenchSupport.secs(t0);
                urlCpu = urlCpu.plus(CpuSplit.of(serverPid).minus(before));
                urlRounds.add(new double[] {batchRate, urlRate});
                System.err.printf("round %d: %d URLs %.1f images/s = %.2fx batch%n", r, urlCount, urlRate, urlRate / batchRate);
            }
        }
        pool.shutdown();
        double jitShare = jitMs / measuredMs;

        // Latency on the now idle, warmed-up server: a sync upload of the 1 MB JPEG through the API, alternating
        // with one spawned exiftool call on the same file
        for (int i = 0; i < 10; i++) upload(oneMb, false);
        List<Double> syncMs = new ArrayList<>();
        List<Double> spawnMs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long s = System.nanoTime();
            BenchSupport.run(exiftool, "-json", "-g", "-struct", oneMb.toString());
            spawnMs.add((System.nanoTime() - s) / 1e6);
            s = System.nanoTime();
            String body = upload(oneMb, false);
            syncMs.add((System.nanoTime() - s) / 1e6);
            if (!body.contains("\"processed\"")) throw new IllegalStateException("sync upload not processed: " + body);
        }
        // Time from POST to `processing` on an idle server (poll as fast as we can)
        List<Double> startMs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long s = System.nanoTime();
            String id = match(ID, upload(oneMb, true));
            while (true) {
                String st = match(STATUS, get("/v1/images/" + id));
                if (!st.equals("queued")) break;
            }
            startMs.add((System.nanoTime() - s) / 1e6);
            waitDone(List.of(id));
        }


        System.out.printf("%n(every upload is unique bytes: the extraction cache never applies)");
        System.out.printf("%nexifq ingest benchmark: %d files%s, %d rounds of %d API passes, concurrency %d, %d cores, client %s%n",
                files.size(), System.getenv("BENCH_SKIP") == null ? "" : " (without " + System.getenv("BENCH_SKIP") + ")", passes, apiPasses, concurrency, Runtime.getRuntime().availableProcessors(), BenchSupport.HTTP.version());
        for (int r = 0; r < rounds.size(); r++) {
            double[] x = rounds.get(r);
            System.out.printf("  round %d: exiftool spawned per file %5.1f files/s, one batch process %5.1f files/s, "
                    + "exifq API %5.1f images/s = %4.1fx spawn, %.2fx batch%n", r + 1, x[0], x[1], x[2], x[2] / x[0], x[2] / x[1]);
        }
        double medianSpawnRatio = BenchSupport.median(rounds.stream().map(x -> x[2] / x[0]).toList());
        double medianBatchRatio = BenchSupport.median(rounds.stream().map(x -> x[2] / x[1]).toList());
        double medianApiRate = BenchSupport.median(rounds.stream().map(x -> x[2]).toList());
        System.out.printf("  exifq API, async + poll: median of %d rounds %.1fx spawn, %.2fx batch (%.1f images/s; %d failed: "
                + "corpus has broken files? see log)%n", rounds.size(), medianSpawnRatio, medianBatchRatio, medianApiRate, failed);
        if (!urlRounds.isEmpty()) {
            for (int r = 0; r < urlRounds.size(); r++) {
                double[] x = urlRounds.get(r);
                System.out.printf("  round %d: %d URLs from a loopback server, async + poll: %5.1f images/s = %.2fx batch%n",
                        r + 1, urlCount, x[1], x[1] / x[0]);
            }
            System.out.printf("  exifq API, URLs: median of %d rounds %.2fx batch (%.1f images/s)%n", urlRounds.size(),
                    BenchSupport.median(urlRounds.stream().map(x -> x[1] / x[0]).toList()),
                    BenchSupport.median(urlRounds.stream().map(x -> x[1]).toList()));
            if (serverPid > 0) {
                double n = (double) urlCount * urlRounds.size();
                System.out.printf("    CPU per URL image (ms): exiftool %.1f, server JVM %.1f, PostgreSQL %.1f, this client "
                        + "(and its file server) %.1f; server outside ExifTool %.2fx ExifTool's%n", urlCpu.exiftool() / n,
                        urlCpu.jvm() / n, urlCpu.postgres() / n, urlCpu.client() / n,
                        (urlCpu.jvm() + urlCpu.postgres()) / urlCpu.exiftool());
            }
        }
        System.out.printf("    after %d warm-up passes; the JIT compiler used %.0f %% of one core during the measured run%n",
                warmups, 100 * jitShare);
        if (serverPid > 0) {
            double n = (double) work.size() * rounds.size();
            System.out.printf("    CPU per image (ms): exiftool %.1f, server JVM %.1f (JIT about %.1f of it), PostgreSQL %.1f, "
                    + "this client %.1f; total %.1f on %d cores%n", cpu.exiftool() / n, cpu.jvm() / n, jitMs / n,
                    cpu.postgres() / n, cpu.client() / n, cpu.total() / n, Runtime.getRuntime().availableProcessors());
            System.out.printf("    server CPU outside ExifTool (JVM + PostgreSQL): %.2fx ExifTool's own; cores in use %.0f %% "
                    + "of %d%n", (cpu.jvm() + cpu.postgres()) / cpu.exiftool(),
                    100 * cpu.total() / measuredMs / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());
            StringBuilder line = new StringBuilder("    server JVM by thread (ms per image):");
            double named = 0;
            for (var group : threads.entrySet()) {
                line.append(String.format(" %s %.1f,", group.getKey(), group.getValue() / n));
                named += group.getValue();
            }
            System.out.println(line.append(String.format(" other and ended threads %.1f", (cpu.jvm() - named) / n)));
        }
        System.out.printf("  one spawned exiftool, 1 MB JPEG  p50 %6.1f ms%n", BenchSupport.pct(spawnMs, 50));
        System.out.printf("  exifq sync upload, 1 MB JPEG     p50 %6.1f ms  p95 %6.1f ms  (%.2fx the spawned call)%n",
                BenchSupport.pct(syncMs, 50), BenchSupport.pct(syncMs, 95), BenchSupport.pct(syncMs, 50) / BenchSupport.pct(spawnMs, 50));
        System.out.println("  server-side stage timers (seconds, from /q/metrics):");
        for (String line : getManagement("/q/metrics").split("\n")) {
            if (line.startsWith("exifq_extract_") && (line.contains("quantile") || line.contains("_count"))) {
                System.out.println("    " + line);
            }
        }
        System.out.printf("  POST -> processing (idle)        p50 %6.1f ms  p95 %6.1f ms%n", BenchSupport.pct(startMs, 50), BenchSupport.pct(startMs, 95));
        fileServer.stop(0); // its dispatcher thread would keep this JVM alive
    }

    /** Uploads every file async with the pool's concurrency, then waits for all; returns how many failed. */
    static int ingestAll(ExecutorService pool, List<Path> work) throws Exception {
        List<Future<String>> ids = new ArrayList<>();
        for (Path f : work) ids.add(pool.submit(() -> match(ID, upload(f, true))));
        List<String> all = new ArrayList<>();
        for (Future<String> f : ids) all.add(f.get());
        return waitDone(all);
    }

    static long serverPid = -1;

    /**
     * CPU ms the server's JIT compiler threads used (Linux /proc); without the pid, the JVM's own compile-time
     * metric, which counts wall time and so overstates it when the compiler waits for a core.
     */
    static double jitMillis() throws Exception {
        if (serverPid > 0) {
            return BenchSupport.threadCpu(serverPid).get("JIT");
        }
        double total = 0;
        for (String line : getManagement("/q/metrics").split("\n")) {
            if (line.startsWith("jvm_compilation_time_ms_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    static double batchRate(List<String> cmd, int files) throws Exception {
        double best = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            BenchSupport.run(cmd.toArray(String[]::new));
            best = Math.max(best, files / BenchSupport.secs(t0));
        }
        return best;
    }

    static int waitDone(List<String> ids) throws Exception {
        int failed = 0;
        for (String id : ids) {
            while (true) {
                String st = match(STATUS, get("/v1/images/" + id));
                if (st.equals("processed")) break;
                if (st.equals("failed")) { failed++; break; }
                Thread.sleep(20);
            }
        }
        return failed;
    }

    /** A loopback server for the corpus: /f/{n}/{index} answers file {@code index} with a trailer naming n. */
    static com.sun.net.httpserver.HttpServer serveCorpus(List<Path> files) throws Exception {
        List<byte[]> bytes = new ArrayList<>();
        for (Path f : files) bytes.add(Files.readAllBytes(f));
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "file-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/f/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            byte[] image = bytes.get(Integer.parseInt(parts[3]));
            byte[] trailer = ("\nexifq-bench-url-" + parts[2]).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, image.length + trailer.length);
            try (var out = exchange.getResponseBody()) {
                out.write(image);
                out.write(trailer);
            }
        });
        server.start();
        return server;
    }

    /** {@code count} URLs (cycling over the corpus, each unique bytes) submitted async, then polled to the end. */
    static int ingestUrls(ExecutorService pool, String fileServer, int files, int count, int round) throws Exception {
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String url = fileServer + "/f/" + round + "-" + i + "-" + UUID.randomUUID() + "/" + (i % files);
            ids.add(pool.submit(() -> match(ID, postJson("{\"url\": \"" + url + "\", \"async\": true}"))));
        }
        List<String> all = new ArrayList<>();
        for (Future<String> f : ids) all.add(f.get());
        return waitDone(all);
    }

    static String postJson(String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/images"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = BenchSupport.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 202) throw new IllegalStateException(r.statusCode() + " " + r.body());
        return r.body();
    }

    static String upload(Path file, boolean async) throws Exception {
        String boundary = "----exifq" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"async\"\r\n\r\n" + async + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(file));
        // a unique trailer after the image data, so every upload is new bytes and the extraction cache
        // (which skips ExifTool for identical bytes) does not flatter the figures
        body.write(("\nexifq-bench-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/images"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> r = BenchSupport.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 202) throw new IllegalStateException(r.statusCode() + " " + r.body());
        return r.body();
    }

    static String get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key).build();
        return BenchSupport.HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    static String getManagement(String path) throws Exception {
        return BenchSupport.HTTP.send(HttpRequest.newBuilder(URI.create(MANAGEMENT + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static String match(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) throw new IllegalStateException("unexpected answer: " + s);
        return m.group(1);
    }

}
