package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.RawHttp;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad request gets a JSON error and the right 4xx. */
@QuarkusTest
class ImageRequestErrorsTest {
    @TempDir
    Path tmp;
    private static final Path JPEG = Corpus.image("exiftool__Canon.jpg");

    @Test
    void missingApiKeyIs401() {
        RestAssured.given().contentType("application/json").body("{\"url\":\"http://example.com/a.jpg\"}")
                .post("/v1/images")
                .then().statusCode(401).body("ok", equalTo(false)).body("error", equalTo("unauthorized"))
                .body("message", notNullValue());
        RestAssured.given().get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q").then().statusCode(401);
    }

    @Test
    void unknownApiKeyIs401() {
        Api.as("exq_not_a_real_key").get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", "Basic abc").get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q")
                .then().statusCode(401);
    }

    @Test
    void emptyBodyIs400() {
        Api.asAdmin().contentType("application/json").body("").post("/v1/images")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("missing_input"));
        Api.asAdmin().post("/v1/images").then().statusCode(400).body("error", equalTo("missing_input"));
    }

    @Test
    void jsonWithoutUrlIs400() {
        Api.asAdmin().contentType("application/json").body("{\"async\": true}").post("/v1/images")
                .then().statusCode(400).body("error", equalTo("missing_url"));
    }

    @Test
    void badJsonIs400() {
        Api.asAdmin().contentType("application/json").body("{\"url\": ").post("/v1/images")
                .then().statusCode(400).body("error", equalTo("invalid_json"));
        Api.asAdmin().contentType("application/json").body("[1,2]").post("/v1/images")
                .then().statusCode(400).body("error", equalTo("invalid_json"));
        Api.asAdmin().contentType("application/json").body("{\"url\": 42}").post("/v1/images")
                .then().statusCode(400).body("error", equalTo("invalid_url"));
    }

    @Test
    void nonHttpUrlIs400() {
        for (String url : new String[]{"file:///etc/passwd", "ftp://example.com/a.jpg", "gopher://x/", "javascript:alert(1)",
                "not a url", "http://", "http://user:pw@example.com/a.jpg"}) {
            Api.asAdmin().contentType("application/json").body("{\"url\": \"" + url + "\"}").post("/v1/images")
                    .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_url"));
        }
    }

    @Test
    void badAsyncIs400() {
        Api.asAdmin().contentType("application/json").body("{\"url\": \"http://127.0.0.1/a.jpg\", \"async\": \"maybe\"}")
                .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_async"));
        Api.asAdmin().contentType("application/json").body("{\"url\": \"http://127.0.0.1/a.jpg\", \"async\": [true]}")
                .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_async"));
        Api.asAdmin().multiPart("file", JPEG.toFile(), "image/jpeg").multiPart("async", "soon")
                .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_async"));
    }

    @Test
    void urlAndFileTogetherIs400() {
        Api.asAdmin().multiPart("file", JPEG.toFile(), "image/jpeg").multiPart("url", "http://127.0.0.1/a.jpg")
                .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void multipartWithoutFileIs400() {
        Api.asAdmin().multiPart("async", "true").post("/v1/images")
                .then().statusCode(400).body("error", equalTo("missing_input"));
    }

    @Test
    void malformedMultipartIs400NotA500() {
        // a boundary that never appears, and one that never closes
        Api.asAdmin().contentType("multipart/form-data; boundary=xyz")
                .body("garbage".getBytes(StandardCharsets.US_ASCII)).post("/v1/images")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_multipart"));
        Api.asAdmin().contentType("multipart/form-data; boundary=xyz")
                .body("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nabc"
                        .getBytes(StandardCharsets.US_ASCII))
                .post("/v1/images")
                .then().statusCode(400).body("error", equalTo("invalid_multipart"));
    }

    @Test
    void jsonValuesOfTheWrongTypeAre400WithTheField() {
        RestAssured.given().contentType("application/json").body("{\"email\": [\"a\"], \"password\": {}}")
                .post("/api/auth/sign-in/email")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_json"))
                .body("message", equalTo("'email' has the wrong type."));
        Api.asAdmin().contentType("application/json").body("{\"name\": {\"x\": 1}}").post("/api/keys")
                .then().statusCode(400).body("error", equalTo("invalid_json"));
    }

    /**
     * Issue 20: {@code curl -F 'file=<bigihdr.png'} sends a part without a file name; it was a 500 (NPE). Now a 400
     * that says what to send, with or without a part content type; with a file name the same bytes are processed.
     */
    @Test
    void aFilePartWithoutAFileNameIsA400AndWithOneIsProcessed() throws IOException {
        byte[] png = pngHeaderOnly(60_000, 60_000);
        for (String partType : new String[] {"", "Content-Type: image/png\r\n", "Content-Type: application/octet-stream\r\n"}) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n" + partType + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(png);
            body.write("\r\n--xyz--\r\n".getBytes(StandardCharsets.US_ASCII));
            Api.asAdmin().contentType("multipart/form-data; boundary=xyz").body(body.toByteArray()).post("/v1/images")
                    .then().statusCode(400).body("ok", equalTo(false))
                    .body("error", org.hamcrest.Matchers.oneOf("missing_input", "invalid_request"))
                    .body("message", org.hamcrest.Matchers.containsString("file name"));
        }
        Api.asAdmin().multiPart("file", "bigihdr.png", png, "image/png").multiPart("async", "false")
                .post("/v1/images")
                .then().statusCode(200).body("status", equalTo("processed")).body("content_type", equalTo("image/png"))
                .body("width", equalTo(60_000)).body("dhash", org.hamcrest.Matchers.nullValue())
                .body("hash_error", org.hamcrest.Matchers.containsString("60000 x 60000"));
    }

    /** A PNG signature, an IHDR of that size (8-bit RGB) and IEND: what a decompression bomb's header says. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(type.getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void notAnImageIs415() throws IOException {
        Path text = Files.createTempFile(tmp, "not-image", ".jpg");
        Files.writeString(text, "this is plain text pretending to be a JPEG\n".repeat(10), StandardCharsets.UTF_8);
        Api.asAdmin().multiPart("file", text.toFile(), "image/jpeg").post("/v1/images")
                .then().statusCode(415).body("ok", equalTo(false)).body("error", equalTo("not_an_image"));
        Api.asAdmin().contentType("text/plain").body("hello").post("/v1/images")
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void overSizeUploadIs413() throws IOException {
        Path big = Files.createTempFile(tmp, "big", ".jpg");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(Files.readAllBytes(JPEG));
            f.setLength(25L * 1024 * 1024 + 1);
        }
        Api.asAdmin().multiPart("file", big.toFile(), "image/jpeg").post("/v1/images")
                .then().statusCode(413).body("ok", equalTo(false)).body("error", equalTo("file_too_large"));
    }

    @Test
    void bodyOverTheHttpLimitIs413Json() throws IOException {
        Path big = Files.createTempFile(tmp, "huge", ".jpg");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(40L * 1024 * 1024);
        }
        Api.asAdmin().multiPart("file", big.toFile(), "image/jpeg").post("/v1/images")
                .then().statusCode(413).body("error", equalTo("file_too_large"));
    }

    @Test
    void chunkedBodiesOverTheLimitAre413Json() throws IOException {
        // no Content-Length, so nothing can refuse the body up front: it is cut off once past the limit
        byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] multipart = new byte[30 << 20];
        System.arraycopy(head, 0, multipart, 0, head.length);
        RawHttp.Answer upload = RawHttp.sendChunked(RestAssured.port, "POST /v1/images HTTP/1.1", multipart,
                "Authorization: Bearer " + Api.ADMIN_KEY, "Content-Type: multipart/form-data; boundary=b");
        assertTooLargeJson(upload);

        byte[] json = new byte[30 << 20];
        java.util.Arrays.fill(json, (byte) ' ');
        RawHttp.Answer jsonAnswer = RawHttp.sendChunked(RestAssured.port, "POST /v1/images HTTP/1.1", json,
                "Authorization: Bearer " + Api.ADMIN_KEY, "Content-Type: application/json");
        assertTooLargeJson(jsonAnswer);

        // a chunked body under the limit is read as usual
        RawHttp.Answer small = RawHttp.sendChunked(RestAssured.port, "POST /v1/images HTTP/1.1",
                "{\"url\": \"ftp://example.com/a.jpg\"}".getBytes(StandardCharsets.UTF_8),
                "Authorization: Bearer " + Api.ADMIN_KEY, "Content-Type: application/json");
        assertEquals(400, small.status(), small.head());
        assertEquals("invalid_url", Corpus.EXACT.readTree(small.body()).path("error").asText(), small.body());
    }

    private static void assertTooLargeJson(RawHttp.Answer answer) throws IOException {
        assertEquals(413, answer.status(), answer.head());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
        assertEquals("file_too_large", Corpus.EXACT.readTree(answer.body()).path("error").asText(), answer.body());
    }

    @Test
    void unknownOrMalformedIdIs404() {
        Api.asAdmin().get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q").then().statusCode(404)
                .body("ok", equalTo(false)).body("error", equalTo("not_found"));
        Api.asAdmin().get("/v1/images/..%2F..%2Fetc%2Fpasswd").then().statusCode(404).body("ok", equalTo(false));
        Api.asAdmin().get("/v1/images/not-an-id").then().statusCode(404).body("error", equalTo("not_found"));
        Api.asAdmin().get("/v1/nothing-here").then().statusCode(404).body("ok", equalTo(false));
    }

    @Test
    void malformedUrlIs400Json() throws IOException {
        for (String target : new String[] {"/v1/images/%zz", "/v1/images/a%", "/v1/images/%E0%A4%A", "/%",
                "/q/openapi/%zz", "/v1/images?async=%zz"}) {
            String method = target.contains("?") ? "POST" : "GET";
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, method + " " + target + " HTTP/1.1",
                    "Authorization: Bearer " + Api.ADMIN_KEY, "Content-Length: 0");
            assertEquals(400, answer.status(), target + " -> " + answer.head());
            assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
            JsonNode body = Corpus.EXACT.readTree(answer.body());
            assertEquals(false, body.path("ok").asBoolean(true), answer.body());
            assertEquals("bad_request", body.path("error").asText(), answer.body());
        }
    }

    @Test
    void anotherUsersImageIs404() {
        String id = Api.asAdmin().multiPart("file", JPEG.toFile(), "image/jpeg").multiPart("async", "true")
                .post("/v1/images").then().statusCode(202).extract().path("id");
        TestUsers.Created other = TestUsers.create("free");
        Api.as(other.apiKey()).get("/v1/images/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        Api.asAdmin().get("/v1/images/" + id).then().statusCode(200).body("id", equalTo(id));
    }
}
