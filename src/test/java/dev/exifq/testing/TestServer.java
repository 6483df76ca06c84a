package dev.exifq.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 for URL ingest tests: serves corpus files and misbehaves on demand.
 * /corpus/NAME, /as-jpeg/NAME.jpg (any corpus file as image/jpeg), /named/NAME (Content-Disposition), /redirect/N/NAME (N hops), /loop, /to?url=,
 * /slow, /big, /bigchunked, /status/CODE, /text, /flaky/NAME (503 once, then the file), /slow-once/NAME (the first
 * request trickles like /trickle/ with ?pause=, later ones get the file at once).
 */
public final class TestServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int hits(String prefix) {
        return hits.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        try {
            if (path.startsWith("/corpus/")) {
                file(ex, path.substring(8), null);
            } else if (path.startsWith("/as-jpeg/") && path.endsWith(".jpg")) {
                file(ex, path.substring(9, path.length() - 4), null, "image/jpeg");
            } else if (path.startsWith("/named/")) {
                file(ex, path.substring(7), "attachment; filename=\"from-header.jpg\"");
            } else if (path.startsWith("/redirect/")) {
                String[] parts = path.split("/", 4);
                int n = Integer.parseInt(parts[2]);
                String next = n <= 1 ? "/corpus/" + parts[3] : "/redirect/" + (n - 1) + "/" + parts[3];
                redirect(ex, next);
            } else if (path.equals("/loop")) {
                redirect(ex, "/loop");
            } else if (path.equals("/to")) {
                redirect(ex, ex.getRequestURI().getQuery().substring(4));
            } else if (path.equals("/slow")) {
                ex.sendResponseHeaders(200, 1000);
                ex.getResponseBody().write(new byte[]{(byte) 0xFF, (byte) 0xD8});
                ex.getResponseBody().flush();
                sleep(60_000);
            } else if (path.startsWith("/trickle/")) {
                String query = ex.getRequestURI().getQuery();
                trickle(ex, path.substring(9), query != null && query.startsWith("pause=") ? Long.parseLong(query.substring(6)) : 300);
            } else if (path.equals("/big")) {
                long size = 30L * 1024 * 1024;
                ex.sendResponseHeaders(200, size);
                stream(ex.getResponseBody(), size);
            } else if (path.equals("/bigchunked")) {
                ex.sendResponseHeaders(200, 0);
                stream(ex.getResponseBody(), 30L * 1024 * 1024);
            } else if (path.startsWith("/status/")) {
                int code = Integer.parseInt(path.substring(8));
                ex.sendResponseHeaders(code, -1);
            } else if (path.equals("/text")) {
                byte[] body = "hello, this is not an image\n".repeat(20).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "image/jpeg");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else if (path.startsWith("/slow-once/")) {
                String query = ex.getRequestURI().getQuery();
                if (hits.get(path).get() == 1) {
                    trickle(ex, path.substring(11), query != null && query.startsWith("pause=") ? Long.parseLong(query.substring(6)) : 300);
                } else {
                    file(ex, path.substring(11), null);
                }
            } else if (path.startsWith("/flaky/")) {
                if (hits.get(path).get() == 1) {
                    ex.sendResponseHeaders(503, -1);
                } else {
                    file(ex, path.substring(7), null);
                }
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        } catch (IOException e) {
            // client went away (timeouts, size limits): expected in these tests
        } finally {
            ex.close();
        }
    }

    /** The corpus file of that name, or null after answering 404. */
    private static Path corpusFile(HttpExchange ex, String name) throws IOException {
        Path file = Corpus.image(name);
        if (name.contains("/") || !Files.isRegularFile(file)) {
            ex.sendResponseHeaders(404, -1);
            return null;
        }
        return file;
    }

    private static void file(HttpExchange ex, String name, String disposition) throws IOException {
        file(ex, name, disposition, "application/octet-stream");
    }

    private static void file(HttpExchange ex, String name, String disposition, String contentType) throws IOException {
        Path file = corpusFile(ex, name);
        if (file == null) {
            return;
        }
        if (disposition != null) {
            ex.getResponseHeaders().add("Content-Disposition", disposition);
        }
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = ex.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    /** A corpus file in ten pieces, {@code pause} ms before each ({@code ?pause=N}, default 300). */
    private static void trickle(HttpExchange ex, String name, long pause) throws IOException {
        Path file = corpusFile(ex, name);
        if (file == null) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        ex.sendResponseHeaders(200, bytes.length);
        OutputStream out = ex.getResponseBody();
        int piece = (bytes.length + 9) / 10;
        for (int off = 0; off < bytes.length; off += piece) {
            sleep(pause);
            out.write(bytes, off, Math.min(piece, bytes.length - off));
            out.flush();
        }
        out.close();
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private static void stream(OutputStream out, long size) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        chunk[0] = (byte) 0xFF;
        chunk[1] = (byte) 0xD8;
        for (long sent = 0; sent < size; sent += chunk.length) {
            out.write(chunk);
            chunk[0] = 0;
            chunk[1] = 0;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
