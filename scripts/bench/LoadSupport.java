import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * What the load programs (scripts/cluster-test, scripts/soak) share on top of BenchSupport: multipart bodies,
 * requests that return status and body, the corpus photos, and a loopback server the service fetches URLs from.
 */
final class LoadSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private LoadSupport() {}

    record Answer(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        /** A refusal as the API promises it: a 4xx with {"ok": false, "error": code}. */
        boolean isJsonError(int expectedStatus, String expectedCode) {
            return status == expectedStatus && !json().path("ok").asBoolean(true)
                    && expectedCode.equals(json().path("error").asText());
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** A multipart/form-data body built in memory. */
    static final class Multipart {
        private final String boundary = "----exifq-load-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String fileName, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static HttpRequest.Builder request(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(180));
        return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
    }

    static HttpRequest post(String url, String bearer, String contentType, byte[] body, String idempotencyKey) {
        HttpRequest.Builder b = request(url, bearer).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b.build();
    }

    /** Sends; an IOException (refused, reset: a server that died) is the caller's to handle. */
    static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = BenchSupport.HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String type = r.headers().firstValue("Content-Type").orElse("");
        // a processed file is binary: only its size matters to the callers
        String body = type.startsWith("application/json") || type.startsWith("text/")
                ? new String(r.body(), StandardCharsets.UTF_8) : "(" + r.body().length + " bytes)";
        return new Answer(r.statusCode(), body, type);
    }

    static Answer get(String url, String bearer) throws IOException, InterruptedException {
        return send(request(url, bearer).GET().build());
    }

    /** Image bytes made unique by a trailer after the image data, so the extraction cache never answers. */
    static byte[] unique(byte[] image) {
        byte[] tag = ("\nexifq-load-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[image.length + tag.length];
        System.arraycopy(image, 0, out, 0, image.length);
        System.arraycopy(tag, 0, out, image.length, tag.length);
        return out;
    }

    /**
     * Camera JPEGs of the corpus (its exifsamples, not the deliberately invalid ones): every one ends processed, and
     * ExifTool writes them all.
     */
    static List<Path> photos(Path corpus) throws IOException {
        try (Stream<Path> files = Files.list(corpus)) {
            List<Path> photos = new ArrayList<>(files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("exifsamples__jpg__") && n.endsWith(".jpg") && !n.contains("invalid");
            }).sorted().toList());
            if (photos.isEmpty()) {
                throw new IllegalStateException("no camera JPEGs in " + corpus);
            }
            return photos;
        }
    }

    /**
     * The pages the service fetches by URL, on 127.0.0.1 at a free port: {@code /img/<corpus file>?u=<tag>} (the file
     * with the tag as a trailer, so each URL is new bytes), {@code /missing} (404), {@code /text} (not an image) and
     * {@code /loop} (a redirect to itself).
     */
    static HttpServer loopbackFiles(Path corpus) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/img/", ex -> {
            String name = Path.of(ex.getRequestURI().getPath()).getFileName().toString();
            Path file = corpus.resolve(name);
            if (!name.endsWith(".jpg") || !Files.isRegularFile(file)) {
                reply(ex, 404, "text/plain", "no such file".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] image = Files.readAllBytes(file);
            byte[] tag = ("\nexifq-url-" + ex.getRequestURI().getQuery()).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(image);
            body.writeBytes(tag);
            reply(ex, 200, "image/jpeg", body.toByteArray());
        });
        server.createContext("/missing", ex -> reply(ex, 404, "text/plain", "gone".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/text", ex -> reply(ex, 200, "text/plain",
                "just some words, not an image\n".repeat(20).getBytes(StandardCharsets.UTF_8)));
        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            reply(ex, 302, "text/plain", new byte[0]);
        });
        server.start();
        return server;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
