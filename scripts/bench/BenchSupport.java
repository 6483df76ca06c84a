import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benches share: the HTTP client, process runs, percentiles and CPU readings from Linux /proc. */
final class BenchSupport {
    // HTTP/1.1 as curl, Python's requests and most clients speak it to an http:// URL; Java's client would
    // otherwise upgrade to cleartext HTTP/2 (BENCH_HTTP=2 measures that: the server's h2c frame handling and
    // 64 KB flow-control windows cost it noticeably more CPU per upload)
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version("2".equals(System.getenv("BENCH_HTTP")) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .build();

    private BenchSupport() {}

    /** Waits for readiness on the server's management port (health is not on the public one). */
    static void waitReady(String management) throws Exception {
        for (int i = 0; i < 240; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(management + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("server did not become ready");
    }

    /** Runs a command to its end, output discarded; returns its exit code. */
    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor();
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Thread-name prefixes (as /proc shows them, 15 characters at most) grouped by what the threads do. */
    static final Map<String, List<String>> THREAD_GROUPS = new LinkedHashMap<>();
    static {
        THREAD_GROUPS.put("HTTP event loop", List.of("vert.x-eventloo"));
        THREAD_GROUPS.put("request handlers", List.of("executor-thread"));
        THREAD_GROUPS.put("local ingest workers", List.of("ingest-"));
        THREAD_GROUPS.put("JobRunr workers", List.of("backgroundjob-w"));
        THREAD_GROUPS.put("JobRunr polling", List.of("backgroundjob-z"));
        THREAD_GROUPS.put("ExifTool I/O", List.of("exiftool-"));
        THREAD_GROUPS.put("GC", List.of("GC Thread", "G1 "));
        THREAD_GROUPS.put("JIT", List.of("C1 CompilerThre", "C2 CompilerThre"));
    }

    /** CPU ms of the server's live threads by group (Linux /proc); threads that ended are not counted. */
    static Map<String, Double> threadCpu(long serverPid) throws IOException {
        Map<String, Double> byGroup = new LinkedHashMap<>();
        THREAD_GROUPS.keySet().forEach(g -> byGroup.put(g, 0.0));
        if (serverPid <= 0) {
            return byGroup;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + serverPid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String st = Files.readString(t.resolve("stat"));
                    String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')'));
                    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CpuSplit.TICK_MS;
                    for (var g : THREAD_GROUPS.entrySet()) {
                        if (g.getValue().stream().anyMatch(name::startsWith)) {
                            byGroup.merge(g.getKey(), ms, Double::sum);
                            break;
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // thread ended
                }
            }
        }
        return byGroup;
    }
}

/** CPU milliseconds used so far by the server JVM, its ExifTool processes, its PostgreSQL and this client (Linux /proc). */
record CpuSplit(double jvm, double exiftool, double postgres, double client) {
    static String dataDir;
    static final double TICK_MS = 10; // USER_HZ is 100 on Linux

    double total() {
        return jvm + exiftool + postgres + client;
    }

    CpuSplit plus(CpuSplit o) {
        return new CpuSplit(jvm + o.jvm, exiftool + o.exiftool, postgres + o.postgres, client + o.client);
    }

    CpuSplit minus(CpuSplit o) {
        return new CpuSplit(jvm - o.jvm, exiftool - o.exiftool, postgres - o.postgres, client - o.client);
    }

    /** This JVM's own CPU ms (the bench client's threads, without its child processes). */
    static double clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }

    static CpuSplit of(long serverPid) {
        double client = clientCpu();
        if (serverPid <= 0) {
            return new CpuSplit(0, 0, 0, client);
        }
        long[] server = stat(serverPid);
        // reaped children of the JVM are retired ExifTool processes (and the one-off initdb at start)
        double jvm = server[0], exiftool = server[1], postgres = 0;
        for (ProcessHandle d : ProcessHandle.of(serverPid).map(h -> h.descendants().toList()).orElse(List.of())) {
            if (!d.info().commandLine().orElse("").contains("postgres")) {
                exiftool += stat(d.pid())[0];
            }
        }
        // pg_ctl daemonises the embedded postmaster: find it by its data directory; its reaped children are
        // exited backends, the live ones count themselves
        ProcessHandle postmaster = dataDir == null ? null : ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("postgres")
                        && h.info().commandLine().orElse("").contains(dataDir))
                .findFirst().orElse(null);
        if (postmaster != null) {
            long[] pm = stat(postmaster.pid());
            postgres = pm[0] + pm[1];
            for (ProcessHandle d : postmaster.descendants().toList()) {
                postgres += stat(d.pid())[0];
            }
        }
        return new CpuSplit(jvm * TICK_MS, exiftool * TICK_MS, postgres * TICK_MS, client);
    }

    /** {own utime+stime, reaped children's cutime+cstime} in clock ticks; zeros if the process is gone. */
    static long[] stat(long pid) {
        try {
            String st = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
