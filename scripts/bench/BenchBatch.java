import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * scripts/bench-batch: one server answering at once on 127.0.0.1 and ten answering 2 s late on 127.0.0.2..11
 * (other hosts, so a per-host cap applies to each), serving the corpus files with a unique trailer per URL (new
 * bytes every time: the extraction cache never applies, as in BenchIngest). Phases: a warm-up batch, uploads of
 * two copies of the corpus (BenchIngest's client, concurrency 8), a batch all on the fast host, a batch with a
 * tenth on the slow hosts; each with the server side's CPU use (JVM, ExifTool, PostgreSQL; 100 % = one core).
 */
public class BenchBatch {
    static final Pattern TOTAL = Pattern.compile("\"processed\"\\s*:\\s*(\\d+).*\"failed\"\\s*:\\s*(\\d+)");

    public static void main(String[] a) throws Exception {
        BenchIngest.base = a[0];
        BenchIngest.key = a[1];
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(a[2]))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        int n = Integer.parseInt(a[3]);
        long serverPid = Long.parseLong(a[4]);
        BenchSupport.waitReady(BenchIngest.MANAGEMENT);
        HttpServer fast = serve("127.0.0.1", files, 0);
        List<HttpServer> slow = new ArrayList<>();
        for (int h = 2; h <= 11; h++) slow.add(serve("127.0.0." + h, files, 2000));
        try {
            batch(urls(fast, slow, files, Math.min(n, 2000), false), serverPid); // warm-up, unmeasured
            System.out.printf("%-44s %10s %8s%n", "", "rate", "CPU");
            double c0 = serverCpu(serverPid);
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> ids = new ArrayList<>();
            for (int copy = 0; copy < 2; copy++) {
                for (Path f : files) ids.add(pool.submit(() -> BenchIngest.match(BenchIngest.ID, BenchIngest.upload(f, true))));
            }
            List<String> idList = new ArrayList<>();
            for (Future<String> id : ids) idList.add(id.get());
            BenchIngest.waitDone(idList);
            pool.shutdown();
            report("uploads (bench-ingest's client, 8 at once)", idList.size(), t0, c0, serverPid, "images/s");
            report(n + " URLs, one host answering at once", urls(fast, slow, files, n, false), serverPid);
            report(n + " URLs, a tenth on 10 hosts 2 s late", urls(fast, slow, files, n, true), serverPid);
        } finally {
            fast.stop(0);
            slow.forEach(s -> s.stop(0));
        }
    }

    static List<String> urls(HttpServer fast, List<HttpServer> slow, List<Path> files, int n, boolean withSlow) {
        List<String> urls = new ArrayList<>(n);
        String run = Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < n; i++) {
            HttpServer s = withSlow && i % 10 == 0 ? slow.get((i / 10) % slow.size()) : fast;
            InetSocketAddress at = s.getAddress();
            urls.add("http://" + at.getAddress().getHostAddress() + ":" + at.getPort() + "/" + run + "-" + i + "/"
                    + files.get(i % files.size()).getFileName());
        }
        return urls;
    }

    static void report(String what, List<String> urls, long serverPid) throws Exception {
        double c0 = serverCpu(serverPid);
        long t0 = System.nanoTime();
        batch(urls, serverPid);
        report(what, urls.size(), t0, c0, serverPid, "URLs/s");
    }

    static void report(String what, int n, long t0, double c0, long serverPid, String unit) {
        double secs = BenchSupport.secs(t0);
        double cpu = (serverCpu(serverPid) - c0) / 1000 / secs * 100;
        System.out.printf("%-44s %7.1f %s %6.0f %% (%d in %.1f s)%n", what, n / secs, unit, cpu, n, secs);
    }

    /** Submits the batch (text/plain) and waits for it to complete. */
    static void batch(List<String> urls, long serverPid) throws Exception {
        StringBuilder body = new StringBuilder();
        urls.forEach(u -> body.append(u).append('\n'));
        HttpResponse<String> r = BenchSupport.HTTP.send(HttpRequest.newBuilder(URI.create(BenchIngest.base + "/v1/batches"))
                .header("Authorization", "Bearer " + BenchIngest.key).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) throw new IllegalStateException(r.statusCode() + " " + r.body());
        String id = BenchIngest.match(BenchIngest.ID, r.body());
        while (!BenchIngest.match(BenchIngest.STATUS, BenchIngest.get("/v1/batches/" + id)).equals("completed")) {
            Thread.sleep(200);
        }
    }

    /** CPU ms of the server side: its JVM, ExifTool and PostgreSQL (not this client, which also serves the files). */
    static double serverCpu(long pid) {
        CpuSplit c = CpuSplit.of(pid);
        return c.jvm() + c.exiftool() + c.postgres();
    }

    /** /RUN-I/NAME: the corpus file NAME and a trailer naming the URL, after {@code delayMs}. */
    static HttpServer serve(String host, List<Path> files, long delayMs) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(host, 0), 512);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        }));
        s.createContext("/", ex -> {
            try (ex) {
                if (delayMs > 0) Thread.sleep(delayMs);
                String path = ex.getRequestURI().getPath();
                Path file = files.stream().filter(f -> path.endsWith("/" + f.getFileName())).findFirst().orElse(null);
                if (file == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] trailer = ("\nexifq-bench-" + path).getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, Files.size(file) + trailer.length);
                try (OutputStream out = ex.getResponseBody()) {
                    Files.copy(file, out);
                    out.write(trailer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                // the client went away
            }
        });
        s.start();
        return s;
    }
}
