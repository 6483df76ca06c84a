package dev.exifq.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on 127.0.0.1 that records every POST. /ok/KEY answers 204; /flaky/N/KEY answers 500 to the
 * first N requests for KEY, then 200; /redirect answers 302 to /ok/redirected.
 */
public final class WebhookReceiver implements AutoCloseable {
    public record Received(String path, String contentType, String signature, String eventId, String event, String body,
                    int answered) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-webhook-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = 204;
        if (path.startsWith("/flaky/")) {
            String[] parts = path.split("/", 4);
            int failures = Integer.parseInt(parts[2]);
            status = calls.computeIfAbsent(parts[3], k -> new AtomicInteger()).incrementAndGet() <= failures ? 500 : 200;
        }
        if (path.equals("/redirect")) {
            status = 302;
            ex.getResponseHeaders().add("Location", "/ok/redirected");
        }
        var h = ex.getRequestHeaders();
        received.add(new Received(path, h.getFirst("Content-Type"), h.getFirst("X-Exifq-Signature"),
                h.getFirst("X-Exifq-Event-Id"), h.getFirst("X-Exifq-Event"), body, status));
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code path} got at least {@code n} requests, then answers them all. */
    public List<Received> await(String path, int n, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (at(path).size() < n && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        List<Received> got = at(path);
        if (got.size() < n) {
            throw new AssertionError("expected " + n + " deliveries to " + path + " within " + timeout + ", got "
                    + got.size());
        }
        return got;
    }

    /** What a receiver does: recompute the HMAC of "t.body" with the secret, compare in constant time. */
    public static boolean verifies(String secret, Received r) throws Exception {
        String[] parts = r.signature().split(",");
        if (parts.length != 2 || !parts[0].startsWith("t=") || !parts[1].startsWith("v1=")) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0].substring(2) + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        return java.security.MessageDigest.isEqual(
                java.util.HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII),
                parts[1].substring(3).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
