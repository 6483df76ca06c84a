package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.InParallel;
import dev.exifq.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every corpus image, uploaded and by URL, synchronously and asynchronously: the metadata must equal
 * ExifTool's reference output (minus the groups we drop), and the file facts must match.
 */
@QuarkusTest
class CorpusIngestTest {
    private static final List<String> KEY_ORDER = List.of("id", "status", "checksum", "filename", "bytesize",
            "content_type", "width", "height", "url", "final_url", "dhash", "phash", "error", "completed_at",
            "created_at", "updated_at", "metadata", "camera", "lens");
    private static TestServer server;
    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @BeforeAll
    static void startServer() throws IOException {
        server = new TestServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void uploadSync() throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        inParallel(Corpus.images(), image -> {
            Response r = Api.asAdmin().multiPart("file", image.toFile()).multiPart("async", "false").post("/v1/images");
            check(image, r, 200, null, image.getFileName().toString(), problems);
            return null;
        });
        assertNoProblems(problems);
    }

    @Test
    void uploadAsyncThenPoll() throws Exception {
        List<Map.Entry<Path, String>> ids = inParallel(Corpus.images(), image -> {
            Response r = Api.asAdmin().multiPart("file", image.toFile()).multiPart("async", "true").post("/v1/images");
            assertEquals(202, r.statusCode(), image + ": " + r.asString());
            assertEquals("queued", r.path("status"));
            assertEquals("/v1/images/" + r.path("id"), r.header("Location"));
            return Map.entry(image, r.<String>path("id"));
        });
        List<String> problems = new CopyOnWriteArrayList<>();
        inParallel(ids, e -> {
            check(e.getKey(), poll(e.getValue()), 200, null, e.getKey().getFileName().toString(), problems);
            return null;
        });
        assertNoProblems(problems);
    }

    @Test
    void urlSync() throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        inParallel(Corpus.images(), image -> {
            String url = server.url("/corpus/" + image.getFileName());
            Response r = Api.asAdmin().contentType("application/json")
                    .body(Map.of("url", url, "async", false)).post("/v1/images");
            check(image, r, 200, url, image.getFileName().toString(), problems);
            return null;
        });
        assertNoProblems(problems);
    }

    @Test
    void urlAsyncThenPoll() throws Exception {
        List<Map.Entry<Path, String>> ids = inParallel(Corpus.images(), image -> {
            Response r = Api.asAdmin().contentType("application/json")
                    .body(Map.of("url", server.url("/corpus/" + image.getFileName()), "async", true)).post("/v1/images");
            assertEquals(202, r.statusCode(), image + ": " + r.asString());
            return Map.entry(image, r.<String>path("id"));
        });
        List<String> problems = new CopyOnWriteArrayList<>();
        inParallel(ids, e -> {
            check(e.getKey(), poll(e.getValue()), 200, server.url("/corpus/" + e.getKey().getFileName()),
                    e.getKey().getFileName().toString(), problems);
            return null;
        });
        assertNoProblems(problems);
    }

    /**
     * The call for every item, {@link #CLIENTS} at a time (the service takes concurrent requests anyway, and one
     * client at a time leaves its second core idle while the first waits on the network): the results in order.
     */
    static <A, T> List<T> inParallel(List<A> items, InParallel.Call<A, T> call) throws Exception {
        return InParallel.map(items, CLIENTS, call);
    }

    private static final int CLIENTS = 4;

    /** The image once finished (or as it is after 120 s), long-polling with {@code ?wait} rather than sleeping. */
    static Response poll(String id) {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            long left = Duration.between(Instant.now(), giveUp).toSeconds();
            Response r = Api.asAdmin().get("/v1/images/" + id + "?wait=" + Math.max(1, Math.min(30, left)));
            String status = r.path("status");
            if ("processed".equals(status) || "failed".equals(status) || Instant.now().isAfter(giveUp)) {
                return r;
            }
        }
    }

    /**
     * The type comes from the bytes, never from the name: every corpus file uploaded as {@code upload.jpg}, with
     * an empty file name, and fetched from a {@code .jpg} URL answering {@code Content-Type: image/jpeg} gives
     * the same result as under its own name. One way at a time, the whole corpus submitted at once (async), then
     * polled; the extraction cache is emptied before each way, so that every file really goes through ExifTool
     * under the name that way gives it.
     */
    @Test
    void misleadingOrMissingNamesChangeNothing() throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        List<java.util.function.Function<Path, Submitted>> ways = List.of(
                image -> new Submitted(image, Api.asAdmin().multiPart(new MultiPartSpecBuilder(image.toFile())
                        .controlName("file").fileName("upload.jpg").mimeType("image/jpeg").build())
                        .multiPart("async", "true").post("/v1/images"), null, "upload.jpg"),
                image -> new Submitted(image, Api.asAdmin().contentType("multipart/form-data; boundary=" + BOUNDARY)
                        .body(withEmptyFileName(image)).post("/v1/images"), null, null),
                image -> {
                    String url = server.url("/as-jpeg/" + image.getFileName() + ".jpg");
                    return new Submitted(image, Api.asAdmin().contentType("application/json")
                            .body(Map.of("url", url, "async", true)).post("/v1/images"), url, image.getFileName() + ".jpg");
                });
        for (var way : ways) {
            try (var c = dataSource.getConnection(); var st = c.createStatement()) {
                st.executeUpdate("delete from extraction_cache");
            }
            List<Submitted> submitted = inParallel(Corpus.images(), image -> {
                Submitted s = way.apply(image);
                assertEquals(202, s.answer().statusCode(), image + ": " + s.answer().asString());
                return s;
            });
            inParallel(submitted, s -> {
                Response r = poll(s.answer().path("id"));
                check(s.image(), r, 200, s.url(), s.filename(), problems);
                if (!Boolean.FALSE.equals(r.path("cached"))) {
                    problems.add(s.image().getFileName() + " as " + s.filename() + ": cached, not read under that name");
                }
                return null;
            });
        }
        assertNoProblems(problems);
    }

    private record Submitted(Path image, Response answer, String url, String filename) {}

    private static final String BOUNDARY = "exifq-corpus-boundary";

    /** A multipart body whose file part says {@code filename=""} (REST Assured leaves an empty name out). */
    private static byte[] withEmptyFileName(Path image) {
        try {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"async\"\r\n\r\ntrue\r\n--" + BOUNDARY
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(image));
            body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return body.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(Path image, Response r, int status, String url, String filename, List<String> problems) {
        String name = image.getFileName().toString();
        try {
            if (r.statusCode() != status) {
                problems.add(name + ": HTTP " + r.statusCode() + " " + r.asString());
                return;
            }
            JsonNode body = Corpus.EXACT.readTree(r.asString());
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) keys.add(it.next());
            if (!keys.subList(0, KEY_ORDER.size()).equals(KEY_ORDER)) {
                problems.add(name + ": keys " + keys);
            }
            expect(problems, name, "status", "processed", body.path("status").asText());
            expect(problems, name, "id", true, Ulid26.matches(body.path("id").asText()));
            expect(problems, name, "metadata", Corpus.expectedMetadata(name), body.get("metadata"));
            expect(problems, name, "bytesize", Files.size(image), body.path("bytesize").asLong());
            Corpus.HashRow ref = Corpus.hashes(name);
            expect(problems, name, "checksum", ref.sha256(), body.path("checksum").asText());
            expect(problems, name, "content_type", Corpus.referenceFileGroup(name).path("MIMEType").asText(),
                    body.path("content_type").asText());
            // Pillow opens a raw file's TIFF container and reports its first IFD (a thumbnail), so for raws
            // the image size is ExifTool's; elsewhere Pillow's size is the reference.
            if (ref.width() != null && !isRaw(name)) {
                expect(problems, name, "width", ref.width().intValue(), body.path("width").asInt());
                expect(problems, name, "height", ref.height().intValue(), body.path("height").asInt());
            }
            if (ref.dhash() != null) {
                expect(problems, name, "dhash", ref.dhash(), body.path("dhash").asText());
                expect(problems, name, "phash", ref.phash(), body.path("phash").asText());
                expect(problems, name, "hash_source", "image", body.path("hash_source").asText());
            }
            if (body.path("dhash").isNull()) {
                expect(problems, name, "hash_error present when hashes are null", true,
                        body.path("hash_error").isTextual());
            }
            expect(problems, name, "url", url, body.path("url").isNull() ? null : body.path("url").asText());
            if (url != null) {
                expect(problems, name, "final_url", url, body.path("final_url").asText());
            }
            expect(problems, name, "filename", filename,
                    body.path("filename").isNull() ? null : body.path("filename").asText());
            expect(problems, name, "error", true, body.path("error").isNull());
            expect(problems, name, "error_code", true, body.has("error_code") && body.path("error_code").isNull());
            expect(problems, name, "completed_at", true,
                    body.path("completed_at").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"));
        } catch (IOException e) {
            problems.add(name + ": " + e);
        }
    }

    private static boolean isRaw(String name) {
        return name.matches("(?i).*\\.(cr2|cr3|crw|nef|dng|raf|rw2|x3f|mrw|iiq|arw|orf|pef)$");
    }

    private static void expect(List<String> problems, String name, String field, Object expected, Object actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            String a = String.valueOf(actual);
            problems.add(name + ": " + field + " expected " + abbreviate(String.valueOf(expected)) + " but was "
                    + abbreviate(a));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static void assertNoProblems(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems:\n" + String.join("\n", problems));
        }
    }

    private static final class Ulid26 {
        static boolean matches(String s) {
            return s.matches("[0-9a-hjkmnp-tv-z]{26}");
        }
    }
}
