package dev.exifq.fetch;

import static dev.exifq.fetch.TestServer.redirect;
import static dev.exifq.fetch.TestServer.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlFetcherTest {

    static final long MAX = 1000;

    @TempDir
    Path dir;

    TestServer server;
    UrlFetcher fetcher;
    Path target;

    /** Allowlist 127.0.0.0/8 so the local server is reachable; short limits so failures show fast. */
    static FetchSettings local() {
        return FetchSettings.defaults()
                .withMaxBytes(MAX)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withAllowedCidrs(List.of("127.0.0.0/8"));
    }

    @BeforeEach
    void setUp() throws IOException {
        server = new TestServer();
        fetcher = new UrlFetcher(local());
        target = dir.resolve("download.tmp");
    }

    @AfterEach
    void tearDown() {
        fetcher.close();
        server.close();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    FetchException fails(String url) {
        return fails(fetcher, url);
    }

    FetchException fails(UrlFetcher f, String url) {
        FetchException e = assertThrows(FetchException.class, () -> f.fetch(url, target));
        assertFalse(Files.exists(target), "no partial file may be left behind");
        return e;
    }

    // ---------------------------------------------------------------- success

    @Test
    void downloadsWithFilenameFromContentDisposition() throws Exception {
        byte[] body = bytes(700);
        server.on("/dl", ex -> send(ex, 200, body, "Content-Type", "image/JPEG; charset=binary",
                "Content-Disposition", "attachment; filename*=UTF-8''caf%C3%A9%20au%20lait.jpg; filename=\"x.jpg\""));
        FetchResult r = fetcher.fetch(server.url("/dl"), target);
        assertEquals(700, r.bytes());
        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals("café au lait.jpg", r.filename());
        assertEquals("image/jpeg", r.contentTypeHint());
        assertEquals(URI.create(server.url("/dl")), r.finalUrl());
    }

    @Test
    void downloadsWithFilenameFromPathAndOverwritesTarget() throws Exception {
        Files.write(target, bytes(5000));
        byte[] body = bytes(10);
        server.on("/photos/My%20Pic%C3%A9.png", ex -> send(ex, 200, body));
        FetchResult r = fetcher.fetch(server.url("/photos/My%20Pic%C3%A9.png?size=big"), target);
        assertEquals("My Picé.png", r.filename());
        assertNull(r.contentTypeHint());
        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void noUsableFilenameIsNull() throws Exception {
        server.on("/", ex -> send(ex, 200, bytes(3)));
        assertNull(fetcher.fetch(server.url("/"), target).filename());
    }

    @Test
    void exactlyMaxBytesIsAccepted() throws Exception {
        server.on("/cl", ex -> send(ex, 200, bytes((int) MAX)));
        server.on("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(bytes((int) MAX));
        });
        assertEquals(MAX, fetcher.fetch(server.url("/cl"), target).bytes());
        assertEquals(MAX, fetcher.fetch(server.url("/chunked"), target).bytes());
        assertEquals(MAX, Files.size(target));
    }

    @Test
    void sendsClearHeadersAndNoCredentialsOrCookies() throws Exception {
        server.on("/start", ex -> {
            ex.getResponseHeaders().add("Set-Cookie", "session=secret; Path=/");
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"x\"");
            redirect(ex, 302, "/next");
        });
        server.on("/next", ex -> send(ex, 200, bytes(1)));
        String url = server.url("/start").replace("http://", "http://alice:s3cret@");
        fetcher.fetch(url, target);
        assertEquals(2, server.seen.size());
        for (TestServer.Seen s : server.seen) {
            assertEquals(UrlFetcher.USER_AGENT, s.headers().getFirst("User-Agent"));
            assertEquals("image/*,*/*;q=0.8", s.headers().getFirst("Accept"));
            assertFalse(s.headers().containsKey("Authorization"), "credentials from the URL must not be sent");
            assertFalse(s.headers().containsKey("Cookie"), "cookies must not be kept");
            assertFalse(s.headers().containsKey("Referer"));
            assertEquals("127.0.0.1:" + server.port(), s.headers().getFirst("Host"));
        }
    }

    @Test
    void concurrentFetchesShareOneFetcher() throws Exception {
        byte[] body = bytes(900);
        server.on("/img", ex -> {
            Thread.sleep(50);
            send(ex, 200, body);
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<FetchResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Path t = dir.resolve("c" + i);
                results.add(pool.submit(() -> fetcher.fetch(server.url("/img"), t)));
            }
            for (int i = 0; i < 16; i++) {
                assertEquals(900, results.get(i).get(20, TimeUnit.SECONDS).bytes());
                assertArrayEquals(body, Files.readAllBytes(dir.resolve("c" + i)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void numericSpellingsAndNamesReachTheAllowlistedServer() throws Exception {
        server.on("/x.gif", ex -> send(ex, 200, bytes(4)));
        for (String host : List.of("2130706433", "0x7f.1", "017700000001", "127.1", "localhost",
                "[::ffff:127.0.0.1]")) {
            FetchResult r = fetcher.fetch("http://" + host + ":" + server.port() + "/x.gif", target);
            assertEquals(4, r.bytes(), host);
        }
    }

    @Test
    void ipv6LoopbackWhenAllowlisted() throws Exception {
        try (TestServer v6 = new TestServer("::1");
             UrlFetcher f = new UrlFetcher(local().withAllowedCidrs(List.of("::1/128")))) {
            v6.on("/a.png", ex -> send(ex, 200, bytes(5)));
            FetchResult r = f.fetch(v6.url("/a.png"), target);
            assertEquals(5, r.bytes());
            assertEquals("[::1]:" + v6.port(), v6.seen.get(0).headers().getFirst("Host"));
            // the same server is off limits for a fetcher that only opens IPv4 loopback
            assertEquals("url_not_allowed", fails(v6.url("/a.png")).code());
            assertEquals(1, v6.hits.get());
        }
    }

    // ---------------------------------------------------------------- redirects

    @Test
    void followsRedirectsAndRecordsFinalUrl() throws Exception {
        server.on("/r1", ex -> redirect(ex, 302, "/r2"));
        server.on("/r2", ex -> redirect(ex, 301, "sub/r3"));
        server.on("/sub/r3", ex -> redirect(ex, 307, server.url("/final/pic.gif")));
        server.on("/final/pic.gif", ex -> send(ex, 200, bytes(42), "Content-Type", "image/gif"));
        FetchResult r = fetcher.fetch(server.url("/r1"), target);
        assertEquals(URI.create(server.url("/final/pic.gif")), r.finalUrl());
        assertEquals("pic.gif", r.filename());
        assertEquals("image/gif", r.contentTypeHint());
        assertEquals(42, r.bytes());
    }

    @Test
    void redirectLoopIsRefused() {
        server.on("/loop-a", ex -> redirect(ex, 302, "/loop-b"));
        server.on("/loop-b", ex -> redirect(ex, 302, "/loop-a"));
        FetchException e = fails(server.url("/loop-a"));
        assertEquals("too_many_redirects", e.code());
        assertFalse(e.transientFailure());
        assertEquals(422, e.httpStatus());
        assertEquals(2, server.hits.get());
    }

    @Test
    void selfRedirectIsALoop() {
        server.on("/self", ex -> redirect(ex, 301, "/self"));
        assertEquals("too_many_redirects", fails(server.url("/self")).code());
    }

    @Test
    void fiveRedirectsAreFollowedSixAreNot() throws Exception {
        for (int i = 1; i <= 10; i++) {
            int next = i - 1;
            server.on("/chain/" + i, ex -> redirect(ex, 302, "/chain/" + next));
        }
        server.on("/chain/0", ex -> send(ex, 200, bytes(1)));
        assertEquals(URI.create(server.url("/chain/0")), fetcher.fetch(server.url("/chain/5"), target).finalUrl());
        server.hits.set(0);
        FetchException e = fails(server.url("/chain/6"));
        assertEquals("too_many_redirects", e.code());
        assertEquals(6, server.hits.get(), "the sixth redirect must not be followed");
    }

    @Test
    void redirectWithoutLocationFails() {
        server.on("/noloc", ex -> ex.sendResponseHeaders(302, -1));
        FetchException e = fails(server.url("/noloc"));
        assertEquals("url_fetch_failed", e.code());
        assertEquals(302, e.upstreamStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x", "jar:file:/x!/y"})
    void redirectToOtherSchemeIsInvalid(String location) {
        server.on("/go", ex -> redirect(ex, 302, location));
        assertEquals("invalid_url", fails(server.url("/go")).code());
    }

    @Test
    void redirectToLoopbackAddressOutsideTheAllowlistIsRefused() throws Exception {
        try (TestServer other = new TestServer("127.0.0.2");
             UrlFetcher strictish = new UrlFetcher(local().withAllowedCidrs(List.of("127.0.0.1/32")))) {
            other.on("/secret", ex -> send(ex, 200, bytes(10)));
            server.on("/hop", ex -> redirect(ex, 302, other.url("/secret")));
            server.on("/hop-numeric", ex -> redirect(ex, 302, "http://2130706434:" + other.port() + "/secret"));
            for (String path : List.of("/hop", "/hop-numeric")) {
                FetchException e = fails(strictish, server.url(path));
                assertEquals("url_not_allowed", e.code(), path);
                assertEquals(400, e.httpStatus());
                assertFalse(e.transientFailure());
                assertTrue(e.getMessage().contains("redirect target"), e.getMessage());
                assertTrue(e.getMessage().contains("loopback"), e.getMessage());
                assertFalse(e.getMessage().contains("127.0.0.2"), "no internal details: " + e.getMessage());
            }
            assertEquals(0, other.hits.get(), "the redirect target must never be contacted");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/",
            "http://[fd00::1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://0xa9fea9fe/",
            "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://192.168.0.1/"})
    void redirectToInternalAddressIsRefused(String location) {
        server.on("/meta", ex -> redirect(ex, 302, location));
        FetchException e = fails(server.url("/meta"));
        assertEquals("url_not_allowed", e.code());
        assertTrue(e.getMessage().startsWith("URL not allowed: the redirect target is a"), e.getMessage());
        assertFalse(e.getMessage().contains("169.254.169.254"));
    }

    // ---------------------------------------------------------------- limits

    @Test
    void oversizeWithContentLengthIsRefusedEarly() {
        AtomicLong written = new AtomicLong();
        server.on("/big", ex -> {
            ex.sendResponseHeaders(200, 5_000_000);
            OutputStream out = ex.getResponseBody();
            byte[] chunk = new byte[8192];
            for (int i = 0; i < 5_000_000 / 8192; i++) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        });
        long start = System.nanoTime();
        FetchException e = fails(server.url("/big"));
        assertEquals("file_too_large", e.code());
        assertEquals(413, e.httpStatus());
        assertFalse(e.transientFailure());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000);
    }

    @Test
    void oversizeWithoutContentLengthIsAbortedWhileStreaming() throws Exception {
        long limit = 64L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        server.on("/endless", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no Content-Length
            OutputStream out = ex.getResponseBody();
            byte[] chunk = new byte[64 * 1024];
            while (written.get() < limit) {
                out.write(chunk);
                out.flush();
                written.addAndGet(chunk.length);
            }
        });
        long start = System.nanoTime();
        FetchException e = fails(server.url("/endless"));
        assertEquals("file_too_large", e.code());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000);
        Thread.sleep(300);
        assertTrue(written.get() < limit, "the client must drop the connection, not drain the body");
    }

    @Test
    void lyingContentLengthCannotExceedTheLimit() {
        server.on("/liar", ex -> {
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(bytes((int) MAX * 3));
        });
        assertEquals("file_too_large", fails(server.url("/liar")).code());
    }

    @Test
    void compressedBodyIsLimitedByItsDecodedSize() throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(buf)) {
            gz.write(new byte[10 * 1024 * 1024]);
        }
        byte[] bomb = buf.toByteArray();
        assertTrue(bomb.length < MAX * 20);
        server.on("/bomb", ex -> send(ex, 200, bomb, "Content-Encoding", "gzip"));
        assertEquals("file_too_large", fails(server.url("/bomb")).code());
    }

    @Test
    void unwritableTargetIsAStorageFailure() {
        server.on("/ok", ex -> send(ex, 200, bytes(10)));
        Path nowhere = dir.resolve("missing-dir").resolve("file");
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(server.url("/ok"), nowhere));
        assertEquals("storage_failed", e.code());
        assertEquals(500, e.httpStatus());
    }

    @Test
    void stalledBodyTimesOutWithinTheReadTimeout() throws Exception {
        try (UrlFetcher f = new UrlFetcher(local().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(30)))) {
            server.on("/stall", ex -> {
                ex.sendResponseHeaders(200, 500);
                ex.getResponseBody().write(new byte[10]);
                ex.getResponseBody().flush();
                server.release.await(30, TimeUnit.SECONDS);
            });
            long start = System.nanoTime();
            FetchException e = fails(f, server.url("/stall"));
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals("timeout", e.code());
            assertTrue(e.transientFailure());
            assertEquals(504, e.httpStatus());
            assertTrue(ms >= 400 && ms < 2500, "took " + ms + " ms");
        }
    }

    @Test
    void aNameserverThatNeverAnswersFailsTransientlyWithinTheConnectTimeout() throws Exception {
        AtomicInteger interrupted = new AtomicInteger();
        GuardedDnsResolver.Lookup hangs = host -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            throw new java.net.UnknownHostException(host);
        };
        try (UrlFetcher f = new UrlFetcher(local().withTimeouts(Duration.ofMillis(400), Duration.ofSeconds(2),
                Duration.ofSeconds(30)), hangs)) {
            long start = System.nanoTime();
            FetchException e = fails(f, "http://never-answers.example/photo.jpg");
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals("url_fetch_failed", e.code());
            assertTrue(e.transientFailure(), "a silent nameserver may answer later: retry");
            assertTrue(e.getMessage().contains("could not be resolved right now"), e.getMessage());
            assertTrue(ms >= 350 && ms < 2500, "took " + ms + " ms");
            // the abandoned lookup is interrupted, so hung lookups do not pile up in the pool
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (interrupted.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, interrupted.get());
        }
    }

    @Test
    void aLookupThatAnswersInTimeIsStillCheckedAgainstThePolicy() throws Exception {
        GuardedDnsResolver.Lookup metadataService = host -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
        try (UrlFetcher f = new UrlFetcher(local(), metadataService)) {
            FetchException e = fails(f, "http://innocent-looking.example/photo.jpg");
            assertEquals("url_not_allowed", e.code());
            assertFalse(e.transientFailure());
        }
    }

    @Test
    void stalledHeadersTimeOut() throws Exception {
        try (UrlFetcher f = new UrlFetcher(local().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(30)))) {
            server.on("/slow-headers", ex -> server.release.await(30, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertEquals("timeout", fails(f, server.url("/slow-headers")).code());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500);
        }
    }

    @Test
    void tricklingBodyHitsTheOverallDeadline() throws Exception {
        try (UrlFetcher f = new UrlFetcher(local().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(1)))) {
            server.on("/drip", ex -> {
                ex.sendResponseHeaders(200, 500);
                for (int i = 0; i < 500; i++) {
                    ex.getResponseBody().write(1);
                    ex.getResponseBody().flush();
                    if (server.release.await(100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            FetchException e = fails(f, server.url("/drip"));
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals("timeout", e.code());
            assertTrue(ms >= 900 && ms < 2500, "took " + ms + " ms");
        }
    }

    @Test
    void stalledServerHitsTheOverallDeadlineEvenWithLongReadTimeout() throws Exception {
        try (UrlFetcher f = new UrlFetcher(local().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofMillis(700)))) {
            server.on("/stall", ex -> {
                ex.sendResponseHeaders(200, 100);
                ex.getResponseBody().write(1);
                ex.getResponseBody().flush();
                server.release.await(30, TimeUnit.SECONDS);
            });
            long start = System.nanoTime();
            assertEquals("timeout", fails(f, server.url("/stall")).code());
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(ms >= 600 && ms < 2500, "took " + ms + " ms");
        }
    }

    // ---------------------------------------------------------------- upstream errors

    @ParameterizedTest
    @ValueSource(ints = {404, 410})
    void notFoundIsPermanent(int status) {
        server.on("/gone", ex -> send(ex, status, "nope".getBytes()));
        FetchException e = fails(server.url("/gone"));
        assertEquals("url_not_found", e.code());
        assertFalse(e.transientFailure());
        assertEquals(422, e.httpStatus());
        assertEquals(status, e.upstreamStatus());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 451})
    void otherClientErrorsArePermanent(int status) {
        server.on("/x", ex -> send(ex, status, new byte[0]));
        FetchException e = fails(server.url("/x"));
        assertEquals("url_fetch_failed", e.code());
        assertFalse(e.transientFailure());
        assertEquals(status, e.upstreamStatus());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 429, 408})
    void serverErrorsAndRateLimitsAreTransient(int status) {
        server.on("/x", ex -> send(ex, status, "busy".getBytes(), "Retry-After", "1"));
        FetchException e = fails(server.url("/x"));
        assertEquals("url_fetch_failed", e.code());
        assertTrue(e.transientFailure());
        assertEquals(502, e.httpStatus());
        assertEquals(status, e.upstreamStatus());
        assertEquals(1, server.hits.get(), "no automatic retries");
    }

    @Test
    void noContentIsPermanentFailure() {
        server.on("/empty", ex -> ex.sendResponseHeaders(204, -1));
        assertEquals("url_fetch_failed", fails(server.url("/empty")).code());
    }

    @Test
    void connectionRefusedIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        FetchException e = fails("http://127.0.0.1:" + port + "/x");
        assertEquals("url_fetch_failed", e.code());
        assertTrue(e.transientFailure());
    }

    @Test
    void connectionResetMidBodyIsTransient() throws Exception {
        try (RawServer raw = new RawServer(sock -> {
            sock.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\nabc".getBytes());
            sock.getOutputStream().flush();
            sock.setSoLinger(true, 0); // RST
            sock.close();
        })) {
            FetchException e = fails("http://127.0.0.1:" + raw.port() + "/x");
            assertEquals("url_fetch_failed", e.code());
            assertTrue(e.transientFailure());
        }
    }

    @Test
    void garbageResponseIsAFailure() throws Exception {
        try (RawServer raw = new RawServer(sock -> {
            sock.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes());
            sock.close();
        })) {
            FetchException e = fails("http://127.0.0.1:" + raw.port() + "/x");
            assertEquals("url_fetch_failed", e.code());
        }
    }

    @Test
    void endlessHeaderIsCut() throws Exception {
        try (RawServer raw = new RawServer(sock -> {
            OutputStream out = sock.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nX-Junk: ".getBytes());
            byte[] junk = new byte[8192];
            java.util.Arrays.fill(junk, (byte) 'a');
            for (int i = 0; i < 1000; i++) {
                out.write(junk);
            }
        })) {
            long start = System.nanoTime();
            FetchException e = fails("http://127.0.0.1:" + raw.port() + "/x");
            assertEquals("url_fetch_failed", e.code());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000);
        }
    }

    // ---------------------------------------------------------------- invalid URLs

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/x.jpg", "gopher://127.0.0.1:70/_GET",
            "jar:file:/tmp/x.jar!/a.jpg", "jar:http://127.0.0.1/x.jar!/a", "data:image/png;base64,AAAA",
            "javascript:alert(1)", "not a url", "", "//127.0.0.1/x", "http://"})
    void nonHttpSchemesAreInvalid(String url) {
        FetchException e = fails(url);
        assertEquals("invalid_url", e.code());
        assertEquals(400, e.httpStatus());
        assertFalse(e.transientFailure());
    }

    @Test
    void nullUrlIsInvalid() {
        assertEquals("invalid_url", fails(null).code());
    }

    @Test
    void invalidAllowlistIsRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new UrlFetcher(FetchSettings.defaults().withAllowedCidrs(List.of("10.0.0.0/99"))));
    }

    /** A plain TCP server for responses HttpServer cannot produce. */
    static final class RawServer implements AutoCloseable {
        interface Script {
            void run(Socket s) throws Exception;
        }

        private final ServerSocket socket;
        private final Thread thread;
        final AtomicInteger accepted = new AtomicInteger();

        RawServer(Script script) throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                        script.run(s);
                    } catch (Exception e) {
                        // closed or client gone
                    }
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
