import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Run by scripts/bench-write (compiled with BenchSupport.java):
 * java BenchWrite BASE KEY EXIFTOOL CORPUS ROUNDS CONCURRENCY SERVER_PID DATA_DIR SCRATCH
 *
 * <p>edit-exif and strip-exif through the API on the corpus JPEGs, next to the pinned ExifTool doing the same
 * write (same tags, same strip) spawned once per file and as one {@code -stay_open} process, in the same round.
 */
public class BenchWrite {
    /** edit-exif's fields (non-ASCII on purpose: IPTC goes as UTF-8) and the tags it writes them to (README). */
    static final Map<String, String> FIELDS = new LinkedHashMap<>();
    static final Map<String, List<String>> TAGS = new LinkedHashMap<>();
    static {
        FIELDS.put("title", "Été à Zürich");
        TAGS.put("title", List.of("XMP-dc:Title", "IPTC:ObjectName"));
        FIELDS.put("description", "Sonnenuntergang über dem Zürichsee — 夕焼け");
        TAGS.put("description", List.of("XMP-dc:Description", "IPTC:Caption-Abstract", "IFD0:ImageDescription"));
        FIELDS.put("author", "Zoë Ångström");
        TAGS.put("author", List.of("XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist"));
        FIELDS.put("keywords", "Zürich, été, 湖");
        TAGS.put("keywords", List.of("XMP-dc:Subject", "IPTC:Keywords"));
        FIELDS.put("copyright", "© 2026 Zoë Ångström");
        TAGS.put("copyright", List.of("XMP-dc:Rights", "IPTC:CopyrightNotice", "IFD0:Copyright"));
    }
    static final byte[] AUTHOR_UTF8 = FIELDS.get("author").getBytes(StandardCharsets.UTF_8);

    enum Op {
        EDIT("edit-exif"), STRIP("strip-exif");

        final String path;

        Op(String path) {
            this.path = path;
        }

        /** The ExifTool arguments of the same write, before {@code -o OUT FILE}. */
        List<String> cliArgs() {
            List<String> args = new ArrayList<>();
            if (this == STRIP) { // as the API's strip: the ICC profile stays
                args.addAll(List.of("-all=", "-tagsFromFile", "@", "-ICC_Profile"));
                return args;
            }
            args.addAll(List.of("-charset", "iptc=UTF8"));
            TAGS.forEach((field, tags) -> {
                List<String> values = field.equals("keywords")
                        ? Stream.of(FIELDS.get(field).split(",")).map(String::strip).toList() : List.of(FIELDS.get(field));
                for (String tag : tags) {
                    values.forEach(v -> args.add("-" + tag + "=" + v));
                }
            });
            args.add("-IPTC:CodedCharacterSet=UTF8");
            return args;
        }
    }

    static String base, key, exiftool;
    static long serverPid;
    static Path scratch;
    static final AtomicInteger uploads = new AtomicInteger();
    static final AtomicInteger outputs = new AtomicInteger();

    public static void main(String[] a) throws Exception {
        base = a[0];
        key = a[1];
        exiftool = a[2];
        int rounds = Integer.parseInt(a[4]);
        int concurrency = Integer.parseInt(a[5]);
        serverPid = Long.parseLong(a[6]);
        CpuSplit.dataDir = a[7];
        scratch = Path.of(a[8]);
        boolean quick = System.getenv("BENCH_QUICK") != null && !System.getenv("BENCH_QUICK").isEmpty();
        double warmupSeconds = Double.parseDouble(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", quick ? "15" : "90"));
        int latencySamples = quick ? 6 : 20;
        double spawnSeconds = Double.parseDouble(System.getenv().getOrDefault("BENCH_SPAWN_SECONDS", quick ? "5" : "15"));

        List<Path> jpegs;
        try (Stream<Path> s = Files.list(Path.of(a[3]))) {
            jpegs = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.jpe?g")).sorted().toList();
        }
        jpegs = interleaved(jpegs);
        if (quick) { // every 8th file: the same mix of sizes
            jpegs = new ArrayList<>(jpegs.subList(0, (jpegs.size() + 7) / 8));
        }
        Map<Path, byte[]> bytes = new LinkedHashMap<>();
        for (Path p : jpegs) bytes.put(p, Files.readAllBytes(p));
        Path oneMb = jpegs.stream().filter(p -> p.getFileName().toString().equals("exifsamples__jpg__tests__35-empty.jpg"))
                .findFirst().orElse(jpegs.get(0));
        bytes.computeIfAbsent(oneMb, p -> read(p));
        BenchSupport.waitReady("http://127.0.0.1:" + System.getenv().getOrDefault("EXIFQ_MANAGEMENT_PORT", "9000"));

        // The files both the API and ExifTool write: the first API pass and one batch pass over all JPEGs drop
        // the ones either refuses (the corpus has broken files on purpose), so every rate below is over the same
        // files and counts only successful writes.
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Path> files = new ArrayList<>(jpegs);
        for (Op op : Op.values()) {
            Map<Path, String> refused = apiAll(pool, op, files, bytes);
            refused.forEach((f, why) -> System.err.printf("API %s refuses %s: %s%n", op.path, f.getFileName(), why));
            files.removeAll(refused.keySet());
            try (StayOpen batch = new StayOpen()) {
                for (Path f : new ArrayList<>(files)) {
                    if (!batch.write(op, f)) {
                        System.err.printf("exiftool %s refuses %s%n", op.path, f.getFileName());
                        files.remove(f);
                    }
                }
            }
            cleanScratch();
        }
        System.err.printf("%d of %d corpus JPEGs written by both; %d of them made unique per upload through their "
                + "quantisation table%n", files.size(), jpegs.size(), files.stream().filter(f -> hasDqt(bytes.get(f))).count());

        // Unmeasured passes until the server's JIT compiler has settled (under 10 % of one core in two passes in a
        // row) or BENCH_WARMUP_SECONDS have passed: writes run code that reads never warmed
        long w0 = System.nanoTime();
        int warmups = 0;
        int settled = 0;
        while (BenchSupport.secs(w0) < warmupSeconds && settled < 2) {
            double jit0 = jitMillis();
            long p0 = System.nanoTime();
            int failed = 0;
            for (Op op : Op.values()) failed += apiAll(pool, op, files, bytes).size();
            double passMs = (System.nanoTime() - p0) / 1e6;
            double jitShare = (jitMillis() - jit0) / passMs;
            warmups++;
            System.err.printf("warm-up pass %d: %.1f writes/s, JIT %.0f %% of one core, %d failed%n", warmups,
                    2 * files.size() / (passMs / 1000), 100 * jitShare, failed);
            settled = jitShare < 0.10 ? settled + 1 : 0;
        }

        // Rounds: per operation, spawned exiftool per file, one stay_open process, then the API, side by side
        Map<Op, List<double[]>> rates = new LinkedHashMap<>(); // {spawn, batch, API} files/s
        Map<Op, CpuSplit> apiCpu = new LinkedHashMap<>();
        Map<Op, double[]> cliCpu = new LinkedHashMap<>(); // {spawn ms, batch ms} of exiftool CPU, summed
        Map<String, Double> threads = new LinkedHashMap<>();
        int apiFailed = 0, cliFailed = 0;
        for (Op op : Op.values()) {
            rates.put(op, new ArrayList<>());
            apiCpu.put(op, new CpuSplit(0, 0, 0, 0));
            cliCpu.put(op, new double[2]);
        }
        for (int r = 1; r <= rounds; r++) {
            for (Op op : Op.values()) {
                // a process start dominates a spawned write, so a prefix of the interleaved files stands for all
                // of them: at most spawnSeconds of it, at least 8 files
                double children0 = childrenCpuMs();
                long t0 = System.nanoTime();
                int spawned = 0;
                for (Path f : files) {
                    cliFailed += spawnWrite(op, f) ? 0 : 1;
                    spawned++;
                    if (spawned >= 8 && BenchSupport.secs(t0) > spawnSeconds) break;
                }
                double spawnRate = spawned / BenchSupport.secs(t0);
                cliCpu.get(op)[0] += (childrenCpuMs() - children0) / spawned * files.size();
                cleanScratch();

                double batchRate;
                try (StayOpen batch = new StayOpen()) {
                    batch.write(op, files.get(0)); // loads the writer's modules, as a pool process has
                    double cpu0 = batch.cpuMs();
                    t0 = System.nanoTime();
                    for (Path f : files) cliFailed += batch.write(op, f) ? 0 : 1;
                    batchRate = files.size() / BenchSupport.secs(t0);
                    cliCpu.get(op)[1] += batch.cpuMs() - cpu0;
                }
                cleanScratch();

                CpuSplit before = CpuSplit.of(serverPid);
                Map<String, Double> threadsBefore = BenchSupport.threadCpu(serverPid);
                t0 = System.nanoTime();
                apiFailed += apiAll(pool, op, files, bytes).size();
                double apiRate = files.size() / BenchSupport.secs(t0);
                apiCpu.put(op, apiCpu.get(op).plus(CpuSplit.of(serverPid).minus(before)));
                BenchSupport.threadCpu(serverPid).forEach((group, total) ->
                        threads.merge(group, total - threadsBefore.getOrDefault(group, 0.0), Double::sum));
                rates.get(op).add(new double[] {spawnRate, batchRate, apiRate});
                System.err.printf("round %d %s: spawn %.1f files/s, batch %.1f files/s, API %.1f files/s = %.1fx spawn, "
                        + "%.2fx batch%n", r, op.path, spawnRate, batchRate, apiRate, apiRate / spawnRate, apiRate / batchRate);
            }
        }

        // Latency on the now idle server: a sync write of the ~1 MB JPEG through the API, alternating with one
        // spawned exiftool doing the same write
        Map<Op, List<Double>> apiMs = new LinkedHashMap<>();
        Map<Op, List<Double>> spawnMs = new LinkedHashMap<>();
        for (Op op : Op.values()) {
            for (int i = 0; i < 5; i++) apiWrite(op, oneMb, bytes.get(oneMb));
            apiMs.put(op, new ArrayList<>());
            spawnMs.put(op, new ArrayList<>());
            for (int i = 0; i < latencySamples; i++) {
                long s = System.nanoTime();
                if (!spawnWrite(op, oneMb)) throw new IllegalStateException("exiftool did not write " + oneMb);
                spawnMs.get(op).add((System.nanoTime() - s) / 1e6);
                s = System.nanoTime();
                String refused = apiWrite(op, oneMb, bytes.get(oneMb));
                apiMs.get(op).add((System.nanoTime() - s) / 1e6);
                if (refused != null) throw new IllegalStateException("API did not write " + oneMb + ": " + refused);
            }
            cleanScratch();
        }
        pool.shutdown();

        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("%nexifq write benchmark: %d corpus JPEGs, %d rounds, %d concurrent clients, %d cores, client %s, "
                + "a first pass and %d warm-up passes%n", files.size(), rounds, concurrency, cores, BenchSupport.HTTP.version(), warmups);
        System.out.println("(every upload is unique bytes: the extraction cache never applies; every API answer is "
                + "checked: the edit's author in it, no EXIF or XMP left after a strip)");
        for (Op op : Op.values()) {
            List<double[]> x = rates.get(op);
            System.out.printf("%n%s%n", op.path);
            for (int r = 0; r < x.size(); r++) {
                double[] v = x.get(r);
                System.out.printf("  round %d: exiftool spawned per file %5.1f files/s, one stay_open process %5.1f files/s, "
                        + "exifq API %5.1f files/s = %4.1fx spawn, %.2fx batch%n", r + 1, v[0], v[1], v[2], v[2] / v[0], v[2] / v[1]);
            }
            System.out.printf("  median of %d rounds: %.1f / %.1f / %.1f files/s, API **%.1fx spawn**, %.2fx batch%n", x.size(),
                    BenchSupport.median(x.stream().map(v -> v[0]).toList()), BenchSupport.median(x.stream().map(v -> v[1]).toList()),
                    BenchSupport.median(x.stream().map(v -> v[2]).toList()),
                    BenchSupport.median(x.stream().map(v -> v[2] / v[0]).toList()),
                    BenchSupport.median(x.stream().map(v -> v[2] / v[1]).toList()));
            double n = (double) files.size() * rounds;
            CpuSplit c = apiCpu.get(op);
            System.out.printf("  CPU per file (ms): API: server JVM %.1f, its exiftool %.1f, PostgreSQL %.1f, bench client %.1f "
                    + "(total %.1f on %d cores); exiftool spawned %.1f; stay_open process %.1f%n", c.jvm() / n, c.exiftool() / n,
                    c.postgres() / n, c.client() / n, c.total() / n, cores, cliCpu.get(op)[0] / n, cliCpu.get(op)[1] / n);
            // what the rates would be with nothing else on the machine: a spawned write chain uses one core, the
            // API all of them; a loaded machine favours whichever has more runnable threads (the API)
            System.out.printf("  CPU per file, API (all processes) against spawned: %.2fx less; against stay_open: %.2fx more "
                    + "(on %d otherwise idle cores: about %.1fx spawn, %.2fx batch)%n", cliCpu.get(op)[0] / c.total(),
                    c.total() / cliCpu.get(op)[1], cores, cores * cliCpu.get(op)[0] / c.total(), cores * cliCpu.get(op)[1] / c.total());
            System.out.printf("  ~1 MB JPEG (%s, %d bytes): one spawned exiftool p50 %.0f ms; exifq sync p50 %.0f ms, p95 %.0f ms "
                    + "(p50 %.2fx the spawned write)%n", oneMb.getFileName(), bytes.get(oneMb).length, BenchSupport.pct(spawnMs.get(op), 50),
                    BenchSupport.pct(apiMs.get(op), 50), BenchSupport.pct(apiMs.get(op), 95),
                    BenchSupport.pct(apiMs.get(op), 50) / BenchSupport.pct(spawnMs.get(op), 50));
        }
        double n = 2.0 * files.size() * rounds;
        StringBuilder line = new StringBuilder("\nserver JVM by thread, both operations (ms per file):");
        threads.forEach((group, ms) -> line.append(String.format(" %s %.1f,", group, ms / n)));
        System.out.println(line.substring(0, line.length() - 1));
        if (apiFailed + cliFailed > 0) {
            System.out.printf("FAILED writes in the measured rounds: API %d, exiftool %d (see above)%n", apiFailed, cliFailed);
            System.exit(1);
        }
    }

    /** Writes every file through the API with the pool's concurrency; the files refused, with why. */
    static Map<Path, String> apiAll(ExecutorService pool, Op op, List<Path> files, Map<Path, byte[]> bytes) throws Exception {
        Map<Path, Future<String>> answers = new LinkedHashMap<>();
        for (Path f : files) answers.put(f, pool.submit(() -> apiWrite(op, f, bytes.get(f))));
        Map<Path, String> refused = new LinkedHashMap<>();
        for (var e : answers.entrySet()) {
            String why = e.getValue().get();
            if (why != null) refused.put(e.getKey(), why);
        }
        return refused;
    }

    /** One sync write through the API; null when the answer is the written file, else what went wrong. */
    static String apiWrite(Op op, Path file, byte[] jpeg) throws Exception {
        String boundary = "----exifq" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (op == Op.EDIT) {
            for (var field : FIELDS.entrySet()) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                        + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(unique(jpeg, uploads.incrementAndGet()));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/images/" + op.path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<byte[]> r = BenchSupport.HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
        }
        byte[] out = r.body();
        if (op == Op.EDIT && indexOf(out, AUTHOR_UTF8) < 0) {
            return "200 without the author written";
        }
        if (op == Op.STRIP && (indexOf(out, "Exif\0\0".getBytes(StandardCharsets.US_ASCII)) >= 0
                || indexOf(out, "http://ns.adobe.com/xap/1.0/".getBytes(StandardCharsets.US_ASCII)) >= 0)) {
            return "200 with EXIF or XMP left";
        }
        return null;
    }

    /** One exiftool process for one write, as a script calling the CLI per file does; true if it wrote the file. */
    static boolean spawnWrite(Op op, Path file) throws Exception {
        Path out = scratch.resolve("spawn-" + outputs.incrementAndGet() + ".jpg");
        List<String> cmd = new ArrayList<>();
        cmd.add(exiftool);
        cmd.addAll(op.cliArgs());
        cmd.addAll(List.of("-o", out.toString(), file.toString()));
        return BenchSupport.run(cmd.toArray(String[]::new)) == 0 && Files.isRegularFile(out);
    }

    /** One {@code exiftool -stay_open True -@ -} process taking one write after another. */
    static final class StayOpen implements AutoCloseable {
        final Process process;
        final Writer in;
        final BufferedReader out;

        StayOpen() throws IOException {
            process = new ProcessBuilder(exiftool, "-stay_open", "True", "-@", "-").redirectErrorStream(true).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        boolean write(Op op, Path file) throws IOException {
            Path target = scratch.resolve("batch-" + outputs.incrementAndGet() + ".jpg");
            StringBuilder args = new StringBuilder();
            op.cliArgs().forEach(arg -> args.append(arg).append('\n'));
            args.append("-o\n").append(target).append('\n').append(file).append("\n-execute\n");
            in.write(args.toString());
            in.flush();
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("{ready")) {
                    return Files.isRegularFile(target);
                }
            }
            throw new IOException("exiftool -stay_open ended");
        }

        double cpuMs() {
            return CpuSplit.stat(process.pid())[0] * CpuSplit.TICK_MS;
        }

        @Override
        public void close() throws Exception {
            in.write("-stay_open\nFalse\n");
            in.flush();
            process.waitFor();
        }
    }

    /**
     * The JPEG with the last two entries of its first quantisation table set from {@code n}: new bytes on every
     * upload that survive a strip (a trailer or a comment would not), so the server's extraction cache, keyed by
     * the processed file's checksum, never answers in place of a run. The change is to the two highest
     * frequencies' quantisers: invisible, and the file stays valid.
     */
    static byte[] unique(byte[] jpeg, int n) {
        byte[] copy = jpeg.clone();
        int dqt = dqt(copy);
        if (dqt >= 0) {
            int precision16 = (copy[dqt] >> 4) & 0xF;
            int at = dqt + 1 + (precision16 == 1 ? 2 * 62 + 1 : 62); // low byte of entry 62
            copy[at] = (byte) (1 + n % 255);
            copy[at + (precision16 == 1 ? 2 : 1)] = (byte) (1 + (n / 255) % 255);
        }
        return copy;
    }

    /** Every 8th file from the first, then every 8th from the second, ...: any prefix is a sample of the whole. */
    static List<Path> interleaved(List<Path> sorted) {
        List<Path> out = new ArrayList<>();
        for (int start = 0; start < 8; start++) {
            for (int i = start; i < sorted.size(); i += 8) out.add(sorted.get(i));
        }
        return out;
    }

    static boolean hasDqt(byte[] jpeg) {
        return dqt(jpeg) >= 0;
    }

    /** Offset of the first quantisation table's Pq/Tq byte in the JPEG's header segments, or -1. */
    static int dqt(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length && (b[i] & 0xFF) == 0xFF) {
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xDA) {
                return -1;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (marker == 0xDB) {
                int precision16 = (b[i + 4] >> 4) & 0xF;
                return length >= 2 + 1 + (precision16 == 1 ? 128 : 64) && i + 4 + length <= b.length ? i + 4 : -1;
            }
            i += 2 + length;
        }
        return -1;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** CPU ms of this JVM's reaped child processes (the spawned exiftools). */
    static double childrenCpuMs() {
        return CpuSplit.stat(ProcessHandle.current().pid())[1] * CpuSplit.TICK_MS;
    }

    static double jitMillis() throws IOException {
        return BenchSupport.threadCpu(serverPid).get("JIT");
    }

    static void cleanScratch() throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
