package dev.exifq.fetch;

import static dev.exifq.fetch.TestServer.redirect;
import static dev.exifq.fetch.TestServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch stage with two real hosts: 127.0.0.2 answers only when the test lets it, 127.0.0.1 at once. Each
 * server counts the requests it is answering at the same moment, so the caps are seen where they matter.
 */
class FetchStageTest {
    private static final byte[] BODY = new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3};

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A server whose paths /0 .. /n-1 answer BODY, and that tracks how many it answers at once. */
    private static final class CountingHost {
        final TestServer server;
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();

        CountingHost(String address, int paths, boolean held) throws Exception {
            server = new TestServer(address);
            for (int i = 0; i < paths; i++) {
                server.on("/" + i, ex -> {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    try {
                        if (held) {
                            server.release.await(20, TimeUnit.SECONDS);
                        }
                        send(ex, 200, BODY);
                    } finally {
                        now.decrementAndGet();
                        answered.incrementAndGet();
                    }
                });
            }
        }
    }

    private CountingHost host(String address, int paths, boolean held) throws Exception {
        CountingHost h = new CountingHost(address, paths, held);
        closing.add(h.server);
        return h;
    }

    private FetchStage stage(FetchSettings settings, int max, int perHost) {
        UrlFetcher fetcher = new UrlFetcher(settings, meters);
        FetchStage stage = new FetchStage(fetcher, max, perHost, meters);
        closing.add(fetcher);
        closing.add(stage);
        return stage;
    }

    private static FetchSettings loopback() {
        return UrlFetcherTest.local().withTimeouts(java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    private double count(String outcome) {
        var c = meters.find(FetchOutcomes.METER).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aSlowHostWaitsAtItsCapWhileAnotherHostsDownloadsFinish() throws Exception {
        CountingHost slow = host("127.0.0.2", 10, true);
        CountingHost fast = host("127.0.0.1", 4, false);
        FetchStage stage = stage(loopback(), 8, 3);

        List<CompletableFuture<FetchResult>> slowOnes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slowOnes.add(stage.fetch(slow.server.url("/" + i), dir.resolve("slow-" + i)));
        }
        waitFor(() -> slow.now.get() == 3, "three downloads reach the slow host");
        // the other seven wait in the stage, although the global cap has room for five more
        assertEquals(3, stage.inFlight());
        assertEquals(7, stage.waiting());
        assertEquals(7.0, meters.get("exifq.fetch.host.cap.waits").counter().count());
        assertEquals(7.0, meters.get("exifq.fetch.waiting").gauge().value());

        List<CompletableFuture<FetchResult>> fastOnes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fastOnes.add(stage.fetch(fast.server.url("/" + i), dir.resolve("fast-" + i)));
        }
        for (int i = 0; i < 4; i++) {
            FetchResult r = fastOnes.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(BODY.length, r.bytes());
            assertTrue(Files.exists(dir.resolve("fast-" + i)));
        }
        // all four fetched beside the held three, none of the slow ones answered meanwhile
        assertEquals(0, slow.answered.get());
        assertTrue(slowOnes.stream().noneMatch(CompletableFuture::isDone));
        assertTrue(fast.most.get() <= 3, "the per-host cap held for the fast host");

        slow.server.release.countDown();
        for (CompletableFuture<FetchResult> f : slowOnes) {
            assertEquals(BODY.length, f.get(10, TimeUnit.SECONDS).bytes());
        }
        assertEquals(3, slow.most.get(), "the per-host cap held for the slow host");
        waitFor(() -> stage.inFlight() == 0, "the stage is idle");
        assertEquals(0, stage.waiting());
        assertEquals(14.0, count("ok"));
    }

    @Test
    void theGlobalCapHoldsAcrossHosts() throws Exception {
        CountingHost one = host("127.0.0.2", 6, true);
        CountingHost two = host("127.0.0.3", 6, true);
        FetchStage stage = stage(loopback(), 4, 4);
        List<CompletableFuture<FetchResult>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(stage.fetch(one.server.url("/" + i), dir.resolve("one-" + i)));
            all.add(stage.fetch(two.server.url("/" + i), dir.resolve("two-" + i)));
        }
        waitFor(() -> one.now.get() + two.now.get() == 4, "four downloads run");
        Thread.sleep(200); // a fifth, if the cap leaked, would show up by now
        assertEquals(4, one.now.get() + two.now.get());
        // the hosts take turns: both got their share of the four slots
        assertEquals(2, one.now.get());
        assertEquals(8, stage.waiting());
        assertEquals(0.0, meters.get("exifq.fetch.host.cap.waits").counter().count(), "the global cap was the limit");
        one.server.release.countDown();
        two.server.release.countDown();
        for (CompletableFuture<FetchResult> f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertTrue(one.most.get() + two.most.get() <= 8);
        waitFor(() -> stage.inFlight() == 0, "every slot is given back (a future completes just before its slot is)");
    }

    @Test
    void aDownloadSomeoneBlocksOnGoesAheadOfItsHostsBacklogButNotPastItsCap() throws Exception {
        CountingHost host = host("127.0.0.2", 5, true);
        FetchStage stage = stage(loopback(), 8, 1);
        List<CompletableFuture<FetchResult>> backlog = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backlog.add(stage.fetch(host.server.url("/" + i), dir.resolve("backlog-" + i)));
        }
        waitFor(() -> host.now.get() == 1, "the first download reaches the host");
        CompletableFuture<FetchResult> blocking = stage.fetchNext(host.server.url("/4"), dir.resolve("blocking"));
        Thread.sleep(200); // it must still wait for the slot: the cap of one holds
        assertEquals(1, host.now.get());
        assertEquals(4, stage.waiting());

        host.server.release.countDown();
        assertEquals(BODY.length, blocking.get(10, TimeUnit.SECONDS).bytes());
        for (CompletableFuture<FetchResult> f : backlog) {
            f.get(10, TimeUnit.SECONDS);
        }
        List<String> order = host.server.seen.stream().map(TestServer.Seen::rawPath).toList();
        assertEquals(List.of("/0", "/4", "/1", "/2", "/3"), order,
                "after the one running, the blocked caller's download, then the backlog in its order");
        assertEquals(1, host.most.get());
    }

    @Test
    void theSsrfGuardStillRefusesLoopbackPrivateAndRedirectsIntoThem() throws Exception {
        TestServer server = new TestServer("127.0.0.1");
        closing.add(server);
        server.on("/to-private", ex -> redirect(ex, 302, "http://10.0.0.1/x.jpg"))
                .on("/to-metadata", ex -> redirect(ex, 302, "http://169.254.169.254/latest/meta-data/"))
                .on("/to-other-loopback", ex -> redirect(ex, 302, "http://127.0.0.2:" + server.port() + "/x.jpg"))
                .on("/ok", ex -> send(ex, 200, BODY));

        FetchStage strict = stage(FetchSettings.defaults(), 4, 2);
        assertRefused(strict.fetch(server.url("/ok"), dir.resolve("a")), "loopback address");
        assertRefused(strict.fetch("http://10.1.2.3/x.jpg", dir.resolve("b")), "private network address");
        assertRefused(strict.fetch("http://[::ffff:127.0.0.1]/x.jpg", dir.resolve("c")), "loopback address");

        // only the test server's own address is opened: redirects anywhere else internal stay closed
        FetchStage opened = stage(FetchSettings.defaults().withAllowedCidrs(List.of("127.0.0.1/32")), 4, 2);
        assertEquals(BODY.length, opened.fetch(server.url("/ok"), dir.resolve("d")).get(10, TimeUnit.SECONDS).bytes());
        assertRefused(opened.fetch(server.url("/to-private"), dir.resolve("e")), "redirect target is a private");
        assertRefused(opened.fetch(server.url("/to-metadata"), dir.resolve("f")), "redirect target is a link-local");
        assertRefused(opened.fetch(server.url("/to-other-loopback"), dir.resolve("g")), "redirect target is a loopback");
        assertTrue(Files.notExists(dir.resolve("e")), "a refused download leaves no file");
        assertEquals(6.0, count("not_allowed"));
    }

    private static void assertRefused(CompletableFuture<FetchResult> f, String why) throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS));
        FetchException fe = assertInstanceOf(FetchException.class, e.getCause());
        assertEquals(FetchException.URL_NOT_ALLOWED, fe.code());
        assertTrue(fe.getMessage().contains(why), fe.getMessage());
    }

    @Test
    void outcomesAreCountedByCause() throws Exception {
        TestServer server = new TestServer("127.0.0.1");
        closing.add(server);
        server.on("/404", ex -> send(ex, 404, new byte[0]))
                .on("/403", ex -> send(ex, 403, new byte[0]))
                .on("/503", ex -> send(ex, 503, new byte[0]))
                .on("/big", ex -> send(ex, 200, new byte[(int) UrlFetcherTest.MAX + 1]))
                .on("/hang", ex -> server.release.await(20, TimeUnit.SECONDS));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        FetchStage stage = stage(UrlFetcherTest.local().withTimeouts(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(5)), 8, 8);
        List<CompletableFuture<FetchResult>> all = List.of(
                stage.fetch(server.url("/404"), dir.resolve("1")),
                stage.fetch(server.url("/403"), dir.resolve("2")),
                stage.fetch(server.url("/503"), dir.resolve("3")),
                stage.fetch(server.url("/big"), dir.resolve("4")),
                stage.fetch(server.url("/hang"), dir.resolve("5")),
                stage.fetch("http://127.0.0.1:" + closedPort + "/x.jpg", dir.resolve("6")),
                stage.fetch("http://no-such-host.invalid/x.jpg", dir.resolve("7")),
                stage.fetch("ftp://example.com/x.jpg", dir.resolve("8")));
        for (CompletableFuture<FetchResult> f : all) {
            assertInstanceOf(FetchException.class,
                    org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                            () -> f.get(10, TimeUnit.SECONDS)).getCause());
        }
        for (String outcome : List.of("not_found", "http_4xx", "http_5xx", "too_large", "timeout", "refused", "dns",
                "invalid_url")) {
            assertEquals(1.0, count(outcome), outcome);
        }
    }
}
