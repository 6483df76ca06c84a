package dev.exifq.images;

import com.sun.net.httpserver.HttpServer;
import dev.exifq.fetch.FetchStage;
import dev.exifq.platform.Ulid;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.Management;
import dev.exifq.testing.TestServer;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's fetch stage end to end: a slow host (127.0.0.2, answering a byte at a time until the test lets it
 * finish) and a fast one (127.0.0.1). The fast host's images finish while the slow host's wait at their per-host
 * cap of 4, and while they wait no CPU worker is held; a JobRunr run hands its download over the same way.
 * SyncTimeoutTest's profile (shared, to spare a start): its overall fetch deadline of 20 s leaves room on a loaded
 * machine to hold the slow host while the checks run (the default profile's 6 s did not); its 1 s sync timeout
 * does not matter here, every request is async (UrlIngestTest covers sync URL requests).
 */
@QuarkusTest
@TestProfile(SyncTimeoutTest.ShortSyncTimeout.class)
class FetchStageIngestTest {
    private static final String JPEG = "exiftool__Canon.jpg";
    private static final int SLOW = 12;

    @Inject
    LocalWorkers workers;
    @Inject
    FetchStage stage;
    @Inject
    ProcessImageJobHandler jobHandler;
    @Inject
    IngestService ingest;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private TestServer fast;
    private HttpServer slow;
    private CountDownLatch release;
    private final ExecutorService clients = Executors.newFixedThreadPool(SLOW);
    private final AtomicInteger slowNow = new AtomicInteger();
    private final AtomicInteger slowMost = new AtomicInteger();
    private final AtomicInteger slowAnswered = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        fast = new TestServer();
        release = new CountDownLatch(1);
        byte[] jpeg = Files.readAllBytes(Corpus.image(JPEG));
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 64);
        slow.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-slow-host");
            t.setDaemon(true);
            return t;
        }));
        slow.createContext("/", ex -> {
            slowMost.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
            try (OutputStream out = ex.getResponseBody()) {
                ex.sendResponseHeaders(200, jpeg.length);
                int sent = 0;
                // a byte every 300 ms keeps the fetch under its 2 s read timeout until the test lets it finish, or
                // for 16.5 s at most (the overall deadline is 20 s)
                while (!release.await(300, TimeUnit.MILLISECONDS) && sent < 55) {
                    out.write(jpeg[sent++]);
                    out.flush();
                }
                out.write(jpeg, sent, jpeg.length - sent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                slowNow.decrementAndGet();
                slowAnswered.incrementAndGet();
                ex.close();
            }
        });
        slow.start();
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        release.countDown();
        slow.stop(0);
        fast.close();
    }

    private String slowUrl(String path) {
        return "http://127.0.0.2:" + slow.getAddress().getPort() + path;
    }

    private static Response submit(String url, boolean async) {
        return Api.asAdmin().contentType("application/json").body(Map.of("url", url, "async", async))
                .post("/v1/images");
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void fastHostFinishesWhileSlowHostWaitsAtItsCapAndNoWorkerIsHeld() throws Exception {
        // start-up costs first (the ExifTool processes start on first use), so the slow host is held only for the checks
        assertEquals("processed", CorpusIngestTest.poll(submit(fast.url("/corpus/" + JPEG + "?warm-up"), true)
                .path("id")).path("status"));
        List<CompletableFuture<Response>> posts = new ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            String url = slowUrl("/slow/" + i + "/" + JPEG);
            posts.add(CompletableFuture.supplyAsync(() -> submit(url, true), clients));
        }
        List<String> slowIds = new ArrayList<>();
        for (CompletableFuture<Response> post : posts) {
            Response r = post.get(60, TimeUnit.SECONDS);
            assertEquals(202, r.statusCode(), r.asString());
            slowIds.add(r.path("id"));
        }
        waitFor(() -> slowNow.get() == 4 && stage.waiting() == SLOW - 4, "4 slow downloads run and 8 wait");

        // the fast host's images finish while the slow host holds its four
        List<String> fastIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response r = submit(fast.url("/corpus/" + JPEG + "?n=" + i), true);
            assertEquals(202, r.statusCode(), r.asString());
            fastIds.add(r.path("id"));
        }
        for (String id : fastIds) {
            Response done = CorpusIngestTest.poll(id);
            assertEquals("processed", done.path("status"), done.asString());
        }
        assertEquals(0, slowAnswered.get(), "no slow download had finished: the fast ones did not wait behind them");

        // twelve images started, none finished: their downloads hold connections and wait in the stage, not workers
        // (the workers that ran the fast images end their tasks a moment after answering)
        waitFor(() -> workers.active() == 0 && stage.inFlight() == 4, "no worker is busy, only the 4 downloads");
        assertEquals(SLOW - 4, stage.waiting());
        assertEquals(4, slowNow.get());
        assertEquals("processing", Api.asAdmin().get("/v1/images/" + slowIds.get(SLOW - 1)).path("status"));

        String metrics = RestAssured.get(Management.url(management, "/q/metrics")).asString();
        assertTrue(metrics.contains("exifq_fetch_in_flight 4.0"), metrics);
        assertTrue(metrics.contains("exifq_fetch_waiting " + (SLOW - 4) + ".0"), metrics);
        assertTrue(metrics.contains("exifq_fetch_host_cap_waits_total"), metrics);

        release.countDown();
        for (String id : slowIds) {
            Response done = CorpusIngestTest.poll(id);
            assertEquals("processed", done.path("status"), done.asString());
            assertEquals(slowUrl("/slow/" + slowIds.indexOf(id) + "/" + JPEG), done.path("final_url"));
        }
        assertEquals(4, slowMost.get(), "the per-host cap held");
        assertTrue(RestAssured.get(Management.url(management, "/q/metrics")).asString()
                .contains("exifq_fetch_total{outcome=\"ok\""));
    }

    @Test
    void aJobRunrRunHandsItsDownloadOverAndEnds() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String id = Ulid.next();
        // accepted without being started here, as an image another replica accepted
        ingest.accept(id, user.userId(), slowUrl("/job/" + JPEG), null, null, null, null, null, null);

        long t = System.nanoTime();
        jobHandler.run(new ProcessImageJob(id));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
        waitFor(() -> slowNow.get() == 1, "the download reaches the slow host");
        assertEquals(0, slowAnswered.get());
        assertTrue(took < 10_000, "the job waited " + took + " ms for a download the slow host holds");
        assertEquals(1, stage.inFlight());
        assertEquals("processing", Api.as(user.apiKey()).get("/v1/images/" + id).path("status"));

        release.countDown();
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        Response r;
        do {
            Thread.sleep(100);
            r = Api.as(user.apiKey()).get("/v1/images/" + id);
        } while (!"processed".equals(r.path("status")) && Instant.now().isBefore(giveUp));
        assertEquals("processed", r.path("status"), r.asString());
        assertEquals(slowUrl("/job/" + JPEG), r.path("final_url"));
        assertEquals(1, slowAnswered.get(), "fetched once");
    }
}
