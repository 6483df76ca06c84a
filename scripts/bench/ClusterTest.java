import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.exifq.platform.EmbeddedPostgresServer;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * scripts/cluster-test: one PostgreSQL and one S3Proxy in this JVM, three service JVMs sharing them (roles api,
 * worker, all) with one JWT key pair; jobs/s with one worker and with two; then images through both APIs from
 * several clients while the `all` JVM is killed with SIGKILL and restarted; then checks that nothing was lost or
 * done twice, in the API's answers, the database and the bucket. Exits 1 on any violation.
 * Usage: ClusterTest project-dir corpus-dir work-dir pid-file [images=500] [rate-images=60] [clients=8]
 */
public final class ClusterTest {
    static final String BUCKET = "exifq-cluster";
    static final String ADMIN_EMAIL = "cluster-admin@localhost";
    static final List<String> VIOLATIONS = Collections.synchronizedList(new ArrayList<>());

    final Path corpus;
    final List<Path> photos;
    final String adminKey = "exq_cluster_" + UUID.randomUUID().toString().replace("-", "");
    final String fileServer;
    final Replica api;
    final Replica worker;
    final Replica all;
    final int clients;
    final EmbeddedPostgresServer pg;
    final BlobStoreContext s3;

    /** What each accepted /v1 image must end as: "processed", or a failure code. */
    final Map<String, String> expected = new ConcurrentHashMap<>();
    /** The first finished JSON of each /v1 image a client saw; it must not change afterwards. */
    final Map<String, JsonNode> firstFinished = new ConcurrentHashMap<>();
    final AtomicInteger writesAnswered = new AtomicInteger();
    final AtomicInteger writesUnanswered = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger rejectedAsExpected = new AtomicInteger();
    final AtomicInteger inFlightOnAll = new AtomicInteger();

    ClusterTest(Path project, Path corpus, Path work, Path pidFile, int clients, EmbeddedPostgresServer pg,
                BlobStoreContext s3, int s3Port, String s3Access, String s3Secret, String fileServer) throws Exception {
        this.corpus = corpus;
        this.photos = LoadSupport.photos(corpus);
        this.clients = clients;
        this.pg = pg;
        this.s3 = s3;
        this.fileServer = fileServer;
        KeyPair keys = generate(KeyPairGenerator.getInstance("EC"));
        Path privateKey = privately(work.resolve("jwt.key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Path publicKey = privately(work.resolve("jwt.pub"), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        env.put("EXIFQ_STORAGE_TYPE", "s3");
        env.put("EXIFQ_STORAGE_S3_BUCKET", BUCKET);
        env.put("EXIFQ_STORAGE_S3_REGION", "us-east-1");
        env.put("EXIFQ_STORAGE_S3_ENDPOINT", "http://127.0.0.1:" + s3Port);
        env.put("EXIFQ_STORAGE_S3_PATH_STYLE", "true");
        env.put("EXIFQ_STORAGE_S3_ACCESS_KEY", s3Access);
        env.put("EXIFQ_STORAGE_S3_SECRET_KEY", s3Secret);
        env.put("EXIFQ_AUTH_JWT_PRIVATE_KEY", privateKey.toString());
        env.put("EXIFQ_AUTH_JWT_PUBLIC_KEY", publicKey.toString());
        env.put("EXIFQ_REPLICAS", "3");
        env.put("EXIFQ_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("EXIFQ_BOOTSTRAP_ADMIN_API_KEY", adminKey);
        env.put("EXIFQ_INGEST_ALLOWED_CIDRS", "127.0.0.0/8"); // the loopback file server; 169.254/16 stays refused
        // a killed node's claims and backstop jobs are taken over after these (60 s each by default), so the
        // run stays within a few minutes
        env.put("EXIFQ_INGEST_LEASE", System.getenv().getOrDefault("CLUSTER_LEASE", "15s"));
        env.put("EXIFQ_INGEST_BACKSTOP_DELAY", System.getenv().getOrDefault("CLUSTER_LEASE", "15s"));
        env.put("EXIFQ_INGEST_SWEEP_EVERY", "5s"); // the sweeper hands a killed node's images to JobRunr
        env.put("JAVA_OPTS", "-Xms512m -Xmx1500m");
        api = new Replica("api", "api", project, work.resolve("api"), env, pidFile);
        worker = new Replica("worker", "worker", project, work.resolve("worker"), env, pidFile);
        all = new Replica("all", "all", project, work.resolve("all"), env, pidFile);
    }

    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        Path project = Path.of(a[0]).toAbsolutePath();
        Path corpus = Path.of(a[1]).toAbsolutePath();
        Path work = Path.of(a[2]).toAbsolutePath();
        Path pidFile = Path.of(a[3]);
        int images = a.length > 4 ? Integer.parseInt(a[4]) : 500;
        int rateImages = a.length > 5 ? Integer.parseInt(a[5]) : 60;
        int clients = a.length > 6 ? Integer.parseInt(a[6]) : 8;

        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(work.resolve("db").toString(), true);
        step(t0, "PostgreSQL " + pg.jdbcUrl().replaceAll("\\?.*", ""));
        String s3Access = "cluster-" + UUID.randomUUID();
        String s3Secret = UUID.randomUUID().toString();
        BlobStoreContext s3 = ContextBuilder.newBuilder(new TransientApiMetadata()).credentials("unused", "unused")
                .build(BlobStoreContext.class);
        s3.getBlobStore().createContainerInLocation(null, BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(s3.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, s3Access, s3Secret).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        HttpServer files = LoadSupport.loopbackFiles(corpus);
        step(t0, "S3Proxy on port " + proxy.getPort() + ", files on port " + files.getAddress().getPort());
        ClusterTest test = new ClusterTest(project, corpus, work, pidFile, clients, pg, s3, proxy.getPort(), s3Access,
                s3Secret, "http://127.0.0.1:" + files.getAddress().getPort());
        List<ResourceSampler> samplers = List.of(new ResourceSampler("api", test.api::pid).start(),
                new ResourceSampler("worker", test.worker::pid).start(), new ResourceSampler("all", test.all::pid).start());
        try {
            test.run(t0, images, rateImages);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            VIOLATIONS.add("aborted: " + e);
        } finally {
            System.out.println("\nresources by role (sampled each second from /proc; the k8s requests come from these):");
            samplers.forEach(s -> System.out.println("  " + s.stop()));
            test.api.stop();
            test.worker.stop();
            test.all.stop();
            files.stop(0);
            proxy.stop();
            s3.close();
        }
        System.out.printf("%n%.0f s in all%n", BenchSupport.secs(t0));
        if (!VIOLATIONS.isEmpty()) {
            System.out.println("\nFAILED, " + VIOLATIONS.size() + " violation(s):");
            VIOLATIONS.stream().limit(50).forEach(v -> System.out.println("  - " + v));
            System.out.println("server logs: " + work + "/{api,worker,all}/server.log (kept: CLUSTER_KEEP=1)");
            System.exit(1);
        }
        System.out.println("\nOK: no violations");
        System.exit(0); // S3Proxy's and jclouds' non-daemon threads
    }

    void run(long t0, int images, int rateImages) throws Exception {
        // the first JVM alone runs the migrations (Flyway's and JobRunr's) before the others start
        api.start();
        step(t0, "api replica up (public :" + api.port + ", management :" + api.managementPort + ")");
        worker.start();
        step(t0, "worker replica up");
        check(refusesConnections(worker.base() + "/v1/images/x"), "a worker opens no public port");

        double one = rate("1 worker (worker; api enqueues)", rateImages);
        all.start();
        step(t0, "all replica up");
        double two = rate("2 workers (worker + all; api enqueues)", rateImages);

        String tokenFromApi = signUp(api, "one@cluster.test");
        check(sessionAccepted(all, tokenFromApi), "a session signed on api is accepted by all");
        String tokenFromAll = signUp(all, "two@cluster.test");
        check(sessionAccepted(api, tokenFromAll), "a session signed on all is accepted by api");
        step(t0, "sessions signed on one replica accepted by the other");

        chaos(t0, images);

        if (all.up) {
            check(sessionAccepted(all, tokenFromApi), "a session signed on api before the kill is accepted by the restarted all");
            String tokenFromRestarted = signUp(all, "three@cluster.test");
            check(sessionAccepted(api, tokenFromRestarted), "a session signed on the restarted all is accepted by api");
        }

        awaitAll(t0);
        verifyAnswersUnchanged();
        verifyDatabaseAndBucket();
        step(t0, "checked");
        System.out.printf("%njobs/s: %.1f with one worker, %.1f with two (%d async uploads each through the api "
                + "replica; from the first accepted to the last finished, database clock)%n", one, two, rateImages);
    }

    // ----- throughput ---------------------------------------------------------------------------------------------

    /** Async uploads through the api replica (which runs no jobs); images per second from first created to last done. */
    double rate(String label, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<String>> submitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path photo = photos.get(i % photos.size());
            submitted.add(pool.submit(() -> {
                LoadSupport.Multipart form = new LoadSupport.Multipart().field("async", "true")
                        .file("file", photo.getFileName().toString(), LoadSupport.unique(Files.readAllBytes(photo)));
                LoadSupport.Answer r = LoadSupport.send(LoadSupport.post(api.base() + "/v1/images", adminKey,
                        form.contentType(), form.bytes(), null));
                if (r.status() != 202) {
                    VIOLATIONS.add("async upload of " + photo.getFileName() + " to api: " + r);
                    return null;
                }
                return r.json().path("id").asText();
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : submitted) {
            if (f.get() != null) {
                ids.add(f.get());
            }
        }
        pool.shutdown();
        ids.forEach(id -> expected.put(id, "processed"));
        await(ids, 240);
        try (Connection c = db(); PreparedStatement s = c.prepareStatement("""
                select count(*), extract(epoch from max(completed_at) - min(created_at))
                  from images where id = any(?) and status = 'processed'""")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                double rate = rs.getInt(1) / rs.getDouble(2);
                System.out.printf("  %s: %d images in %.1f s = %.1f jobs/s%n", label, rs.getInt(1), rs.getDouble(2), rate);
                return rate;
            }
        }
    }

    // ----- the run with a kill -9 -------------------------------------------------------------------------------

    record Item(int n, String kind, String path, String contentType, byte[] body, String idempotencyKey,
                String expect, int rejectStatus) {
        boolean write() {
            return path.startsWith("/api/images/");
        }
    }

    void chaos(long t0, int count) throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(item(i));
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        items.forEach(it -> kinds.merge(it.kind(), 1, Integer::sum));
        System.out.println("  " + count + " requests from " + clients + " clients, half to all and half to api: " + kinds);
        CountDownLatch killPoint = new CountDownLatch(count * 2 / 5);
        AtomicInteger orphans = new AtomicInteger(-1);
        Thread killer = new Thread(() -> {
            try {
                killPoint.await();
                // mid-request: sync requests to api wait for the queue, so all's quick answers can leave it idle
                long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (inFlightOnAll.get() == 0 && System.nanoTime() < wait) {
                    Thread.sleep(5);
                }
                int caught = inFlightOnAll.get();
                List<ProcessHandle> children = all.kill9();
                step(t0, "kill -9 of the all replica (pid " + all.pid() + ") after " + count * 2 / 5
                        + " requests started, " + caught + " of them in flight on it");
                Thread.sleep(3000);
                orphans.set((int) children.stream().filter(ProcessHandle::isAlive).count());
                children.forEach(ProcessHandle::destroyForcibly);
                all.start();
                step(t0, "all replica restarted");
            } catch (Exception e) {
                VIOLATIONS.add("restarting the all replica: " + e);
            }
        });
        killer.start();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (Item it : items) {
            done.add(pool.submit(() -> {
                killPoint.countDown();
                send(it);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        step(t0, String.format("%d requests answered in %.1f s (%d retried on the other replica after a refused or "
                + "broken connection, %d write answers lost with the connection)", count, BenchSupport.secs(start),
                retries.get(), writesUnanswered.get()));
        killer.join(); // the script's CLUSTER_TIMEOUT bounds this
        check(all.up, "the all replica came back after its kill -9");
        if (!all.up) {
            return; // the checks of what was sent still run
        }
        if (orphans.get() > 0) {
            System.out.println("  note: " + orphans.get() + " child process(es) of the killed JVM (ExifTool) were still "
                    + "alive 3 s after the kill -9 and were killed by the test");
        }
        // the restarted replica serves as before
        for (int i = 0; i < 10; i++) {
            Path photo = photos.get(i);
            LoadSupport.Multipart form = new LoadSupport.Multipart()
                    .file("file", photo.getFileName().toString(), LoadSupport.unique(Files.readAllBytes(photo)));
            LoadSupport.Answer r = LoadSupport.send(LoadSupport.post(all.base() + "/v1/images", adminKey,
                    form.contentType(), form.bytes(), null));
            check(r.status() == 200 || r.status() == 202, "sync upload to the restarted all replica: " + r);
            expected.put(r.json().path("id").asText(), "processed");
        }
        step(t0, "10 sync uploads through the restarted all replica answered");
    }

    Item item(int n) throws IOException {
        Path photo = photos.get(n % photos.size());
        String name = photo.getFileName().toString();
        String key = "cluster-" + n + "-" + UUID.randomUUID();
        boolean async = n % 3 == 0;
        LoadSupport.Multipart form = new LoadSupport.Multipart();
        switch (n % 20) {
            case 0, 1, 2, 3, 4, 5, 6 -> {
                form.field("async", String.valueOf(async)).file("file", name, LoadSupport.unique(Files.readAllBytes(photo)));
                return new Item(n, async ? "upload async" : "upload sync", "/v1/images", form.contentType(), form.bytes(),
                        key, "processed", 0);
            }
            case 7, 8, 9, 10 -> {
                String url = fileServer + "/img/" + name + "?u=" + UUID.randomUUID();
                return json(n, async ? "url async" : "url sync", url, async, key, "processed");
            }
            case 11 -> {
                form.field("title", "cluster " + n).field("author", "Zoë").field("keywords", "cluster, test")
                        .file("file", name, Files.readAllBytes(photo));
                return new Item(n, "edit-exif", "/api/images/edit-exif", form.contentType(), form.bytes(), null, "processed", 0);
            }
            case 12 -> {
                form.file("file", name, Files.readAllBytes(photo));
                return new Item(n, "strip-exif", "/api/images/strip-exif", form.contentType(), form.bytes(), null, "processed", 0);
            }
            case 13 -> {
                form.field("latitude", "48.8566").field("longitude", "-2.3522").file("file", name, Files.readAllBytes(photo));
                return new Item(n, "geo-exif", "/api/images/geo-exif", form.contentType(), form.bytes(), null, "processed", 0);
            }
            case 14 -> {
                return json(n, "url 404", fileServer + "/missing/" + n, async, key, "url_not_found");
            }
            case 15 -> {
                boolean text = n % 40 == 15;
                return text ? json(n, "url not an image", fileServer + "/text?" + n, async, key, "not_an_image")
                        : json(n, "url redirect loop", fileServer + "/loop?" + n, async, key, "too_many_redirects");
            }
            case 16 -> {
                return json(n, "url metadata address", "http://169.254.169.254/latest/meta-data/?" + n, async, key,
                        "url_not_allowed");
            }
            case 17 -> {
                form.file("file", "notes-" + n + ".jpg", ("not an image " + n + "\n").repeat(50).getBytes(StandardCharsets.UTF_8));
                return new Item(n, "bad: text upload", "/v1/images", form.contentType(), form.bytes(), key, "not_an_image", 415);
            }
            case 18 -> {
                if (n % 40 == 18) {
                    form.file("file", "empty.jpg", new byte[0]);
                    return new Item(n, "bad: empty file", "/v1/images", form.contentType(), form.bytes(), key, "empty_file", 400);
                }
                byte[] broken = ("{\"url\": \"" + fileServer + "/img/" + name + "\", ").getBytes(StandardCharsets.UTF_8);
                return new Item(n, "bad: broken JSON", "/v1/images", "application/json", broken, key, "invalid_json", 400);
            }
            default -> {
                form.field("latitude", "91").field("longitude", "2").file("file", name, Files.readAllBytes(photo));
                return new Item(n, "bad: geo-exif latitude 91", "/api/images/geo-exif", form.contentType(), form.bytes(),
                        null, "invalid_latitude", 400);
            }
        }
    }

    private static Item json(int n, String kind, String url, boolean async, String key, String expect) {
        byte[] body = ("{\"url\": \"" + url + "\", \"async\": " + async + "}").getBytes(StandardCharsets.UTF_8);
        return new Item(n, kind, "/v1/images", "application/json", body, key, expect, 0);
    }

    /** One request: to all or api by turn; a refused or broken connection is retried on the other replica. */
    void send(Item it) throws Exception {
        Replica target = it.n() % 2 == 0 && all.up ? all : api;
        LoadSupport.Answer r = null;
        for (int attempt = 0; r == null; attempt++) {
            AtomicInteger inFlight = target == all ? inFlightOnAll : new AtomicInteger();
            inFlight.incrementAndGet();
            try {
                r = LoadSupport.send(LoadSupport.post(target.base() + it.path(), adminKey, it.contentType(), it.body(),
                        it.idempotencyKey()));
            } catch (IOException deadServer) {
                retries.incrementAndGet();
                if (it.write()) {
                    writesUnanswered.incrementAndGet(); // its image may exist: the count check allows for it
                }
                if (attempt > 10) {
                    VIOLATIONS.add("request " + it.n() + " (" + it.kind() + ") got no answer in 10 tries: " + deadServer);
                    return;
                }
                target = target == all ? api : (all.up ? all : api);
                Thread.sleep(200);
            } finally {
                inFlight.decrementAndGet();
            }
        }
        if (it.rejectStatus() != 0) {
            if (r.isJsonError(it.rejectStatus(), it.expect())) {
                rejectedAsExpected.incrementAndGet();
            } else {
                VIOLATIONS.add("request " + it.n() + " (" + it.kind() + "): expected " + it.rejectStatus() + " "
                        + it.expect() + ", got " + r);
            }
            return;
        }
        if (it.write()) {
            if (r.status() == 200 && r.contentType().startsWith("image/")) {
                writesAnswered.incrementAndGet();
            } else if (r.status() == 202) {
                writesAnswered.incrementAndGet();
                expected.put(r.json().path("id").asText(), "processed");
            } else {
                VIOLATIONS.add("request " + it.n() + " (" + it.kind() + "): " + r);
            }
            return;
        }
        if (r.status() != 200 && r.status() != 202) {
            VIOLATIONS.add("request " + it.n() + " (" + it.kind() + "): " + r);
            return;
        }
        JsonNode image = r.json();
        String id = image.path("id").asText();
        String before = expected.putIfAbsent(id, it.expect());
        if (before != null) {
            VIOLATIONS.add("request " + it.n() + " (" + it.kind() + ") answered image " + id + " of another request");
        }
        if (finished(image)) {
            firstFinished.putIfAbsent(id, image);
        }
    }

    // ----- waiting and checking ---------------------------------------------------------------------------------

    static boolean finished(JsonNode image) {
        String s = image.path("status").asText();
        return s.equals("processed") || s.equals("failed");
    }

    void awaitAll(long t0) throws Exception {
        List<String> ids = new ArrayList<>(expected.keySet());
        long start = System.nanoTime();
        await(ids, 240);
        step(t0, String.format("all %d images the clients know finished (waited %.1f s)", ids.size(), BenchSupport.secs(start)));
    }

    /** Long-polls each image (through api) until it is finished, recording the first finished JSON. */
    void await(List<String> ids, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> waits = new ArrayList<>();
        for (String id : ids) {
            if (firstFinished.containsKey(id)) {
                continue;
            }
            waits.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    LoadSupport.Answer r = LoadSupport.get(api.base() + "/v1/images/" + id + "?wait=10", adminKey);
                    if (r.status() != 200) {
                        VIOLATIONS.add("GET image " + id + ": " + r);
                        return null;
                    }
                    if (finished(r.json())) {
                        firstFinished.putIfAbsent(id, r.json());
                        return null;
                    }
                }
                VIOLATIONS.add("image " + id + " not finished after " + seconds + " s");
                return null;
            }));
        }
        for (Future<?> f : waits) {
            f.get();
        }
        pool.shutdown();
    }

    /** A finished image looks the same later, from either replica: its result was written once. */
    void verifyAnswersUnchanged() throws Exception {
        int compared = 0;
        for (var e : firstFinished.entrySet()) {
            for (Replica r : all.up ? List.of(api, all) : List.of(api)) {
                JsonNode now = LoadSupport.get(r.base() + "/v1/images/" + e.getKey(), adminKey).json();
                for (String field : List.of("status", "checksum", "completed_at", "error_code", "metadata", "dhash", "phash")) {
                    if (!e.getValue().path(field).equals(now.path(field))) {
                        VIOLATIONS.add("image " + e.getKey() + ": " + field + " changed after it finished ("
                                + e.getValue().path(field) + " then " + now.path(field) + " on " + r.name + ")");
                    }
                }
                compared++;
            }
        }
        System.out.println("  " + compared + " finished answers fetched again from api and all: unchanged");
        for (var e : expected.entrySet()) {
            JsonNode image = firstFinished.get(e.getKey());
            if (image == null) {
                continue; // reported by await
            }
            String outcome = image.path("status").asText().equals("processed") ? "processed" : image.path("error_code").asText();
            if (!outcome.equals(e.getValue())) {
                VIOLATIONS.add("image " + e.getKey() + " ended " + outcome + " (" + image.path("error").asText()
                        + "), expected " + e.getValue());
            }
        }
    }

    void verifyDatabaseAndBucket() throws Exception {
        Set<String> blobs = new HashSet<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            var page = s3.getBlobStore().list(BUCKET, options);
            page.forEach(m -> blobs.add(m.getName()));
            marker = page.getNextMarker();
        } while (marker != null);
        try (Connection c = db()) {
            long admin = single(c, "select id from users where email = '" + ADMIN_EMAIL + "'");
            System.out.println("  images by status: " + rows(c, "select status, count(*) from images group by status order by 1"));
            System.out.println("  JobRunr jobs by state: " + rows(c, "select state, count(*) from jobrunr_jobs group by state order by 1"));
            List<String> unfinished = column(c, "select id || ' ' || status from images where status not in ('processed', 'failed')");
            check(unfinished.isEmpty(), "images lost (never finished): " + unfinished);
            List<String> noReason = column(c, "select id from images where status = 'failed' and (error is null or error_code is null)");
            check(noReason.isEmpty(), "failed images without a reason: " + noReason);
            List<String> unexpectedFailures = new ArrayList<>();
            for (String row : column(c, "select id || ' ' || error_code || ' ' || error from images where status = 'failed'")) {
                String id = row.substring(0, 26);
                if (!expected.containsKey(id) || expected.get(id).equals("processed")) {
                    unexpectedFailures.add(row);
                }
            }
            check(unexpectedFailures.isEmpty(), "good images that failed: " + unexpectedFailures);

            long processed = single(c, "select count(*) from images where status = 'processed' and user_id = " + admin);
            long units = single(c, "select coalesce(sum(count), 0) from usage_daily where user_id = " + admin);
            check(units == processed, "usage units (" + units + ") = processed images (" + processed + "): one unit "
                    + "each, failed ones given back");
            System.out.println("  usage: " + units + " units for " + processed + " processed images");

            long reads = single(c, "select count(*) from images where edit is null and user_id = " + admin);
            long knownReads = expected.keySet().stream().filter(id -> !isWrite(c, id)).count();
            check(reads == knownReads, "one image per /v1 request (idempotent retries): " + reads + " rows, "
                    + knownReads + " ids answered");
            long writes = single(c, "select count(*) from images where edit is not null and user_id = " + admin);
            check(writes >= writesAnswered.get() && writes <= writesAnswered.get() + writesUnanswered.get(),
                    "one image per write: " + writes + " rows for " + writesAnswered.get() + " answered writes (+ "
                            + writesUnanswered.get() + " whose answer was lost)");
            List<String> noFile = column(c, """
                    select i.id from images i left join processed_files f on f.image_id = i.id
                     where i.edit is not null and i.status = 'processed' and f.image_id is null""");
            check(noFile.isEmpty(), "processed writes without their processed file: " + noFile);
            List<String> missingBlobs = new ArrayList<>();
            for (String key : column(c, "select blob_key from processed_files union all "
                    + "select blob_key from images where status = 'processed' and blob_key is not null")) {
                if (blobs.stream().noneMatch(b -> b.equals(key) || b.endsWith("/" + key))) {
                    missingBlobs.add(key);
                }
            }
            check(missingBlobs.isEmpty(), "blobs missing from the bucket: " + missingBlobs);
            System.out.println("  bucket: " + blobs.size() + " objects; every processed image's original and every "
                    + "processed file present");
            System.out.println("  rejected as expected (4xx JSON): " + rejectedAsExpected.get() + " requests");
        }
    }

    private final Map<String, Boolean> writeIds = new ConcurrentHashMap<>();

    private boolean isWrite(Connection c, String id) {
        return writeIds.computeIfAbsent(id, k -> {
            try (PreparedStatement s = c.prepareStatement("select edit is not null from images where id = ?")) {
                s.setString(1, k);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ----- helpers -------------------------------------------------------------------------------------------------

    String signUp(Replica r, String email) throws Exception {
        byte[] body = LoadSupport.JSON.writeValueAsBytes(Map.of("email", email, "password",
                "cluster-password-" + UUID.randomUUID(), "name", "Cluster"));
        LoadSupport.Answer a = LoadSupport.send(LoadSupport.post(r.base() + "/api/auth/sign-up/email", null,
                "application/json", body, null));
        if (a.status() != 201) {
            throw new IllegalStateException("sign-up on " + r.name + ": " + a);
        }
        return a.json().path("token").asText();
    }

    static boolean refusesConnections(String url) throws Exception {
        try {
            LoadSupport.get(url, null);
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }

    boolean sessionAccepted(Replica r, String token) throws Exception {
        return LoadSupport.get(r.base() + "/api/auth/session", token).status() == 200;
    }

    Connection db() throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    static long single(Connection c, String sql) throws Exception {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static String rows(Connection c, String sql) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out.toString();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            VIOLATIONS.add(what);
        }
    }

    static void step(long t0, String what) {
        System.out.printf("[%5.1f s] %s%n", BenchSupport.secs(t0), what);
    }

    private static KeyPair generate(KeyPairGenerator g) throws Exception {
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static Path privately(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, text);
    }
}
