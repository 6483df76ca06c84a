package dev.exifq.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on a loopback address, with handlers by exact raw path, that records what it got. */
final class TestServer implements AutoCloseable {

    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    record Seen(String rawPath, Headers headers) {
    }

    final String bindAddress;
    final AtomicInteger hits = new AtomicInteger();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Handlers that stall wait on this; counted down on close so nothing outlives the test. */
    final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService pool;

    TestServer(String bindAddress) throws IOException {
        this.bindAddress = bindAddress;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), 0), 50);
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http-" + bindAddress);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            String path = exchange.getRequestURI().getRawPath();
            seen.add(new Seen(path, exchange.getRequestHeaders()));
            Handler h = handlers.get(path);
            try {
                if (h == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    h.handle(exchange);
                }
            } catch (IOException e) {
                // the client went away: expected in abort tests
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    TestServer() throws IOException {
        this("127.0.0.1");
    }

    TestServer on(String rawPath, Handler handler) {
        handlers.put(rawPath, handler);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String rawPath) {
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        return "http://" + host + ":" + port() + rawPath;
    }

    static void send(HttpExchange ex, int status, byte[] body, String... headers) throws IOException {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    static void redirect(HttpExchange ex, int status, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
