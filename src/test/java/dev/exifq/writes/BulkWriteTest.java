package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.billing.Usage;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.RawHttp;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * advanced-edit-bulk and strip-exif-bulk: the ZIP holds exactly the inputs, written (read back with the pinned
 * ExifTool); entry names made unique and never paths; everything checked before anything is counted; the daily
 * limit all or none; a plan feature; each file in its owner's history only.
 */
@QuarkusTest
class BulkWriteTest {
    static final String JPEG = StripGeoViewTest.RICH_JPEG;
    static final String GPS_JPEG = StripGeoViewTest.GPS_JPEG;
    static final String PNG = "exiftool__PNG.png";
    static final String TIFF = "exiftool__ExifTool.tif";
    static final String WEBP = "exiftool__RIFF.webp";

    @Inject
    ExifToolPool pool;
    @Inject
    Usage usage;
    @TempDir
    Path dir;

    /** A part of the request: the client's file name and the bytes. */
    record Part(String name, byte[] bytes) {
        static Part corpus(String file) throws IOException {
            return new Part(file, Files.readAllBytes(Corpus.image(file)));
        }
    }

    static Response post(String key, String endpoint, List<Part> files, Map<String, String> fields) {
        RequestSpecification r = Api.as(key);
        files.forEach(p -> r.multiPart("files", p.name(), p.bytes(), "application/octet-stream"));
        fields.forEach((name, value) -> r.multiPart(new MultiPartSpecBuilder(value).controlName(name)
                .mimeType("text/plain").charset(StandardCharsets.UTF_8).build()));
        return r.post("/api/images/" + endpoint);
    }

    /** The ZIP's entries in order, name to bytes. */
    static LinkedHashMap<String, byte[]> unzip(byte[] zip) throws IOException {
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                assertFalse(entries.containsKey(e.getName()), "one entry per name: " + e.getName());
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    static LinkedHashMap<String, byte[]> zipOf(Response r) throws IOException {
        assertEquals(200, r.statusCode(), () -> "a ZIP, not: " + r.asString());
        r.then().contentType("application/zip")
                .header("Content-Disposition", startsWith("attachment; filename=\"exifq-"));
        return unzip(r.asByteArray());
    }

    int usedToday(long userId) {
        return usage.today(userId, "user", "pro").today();
    }

    static long images(long userId) {
        return TestDb.count("select count(*) from images where user_id = ?", userId);
    }

    static String value(JsonNode read, String tagName) {
        for (var it = read.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().endsWith(":" + tagName)) {
                return f.getValue().asText();
            }
        }
        return null;
    }

    @Test
    void advancedEditBulkWritesEveryFileAndListsEachInTheHistory() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        List<Part> parts = List.of(Part.corpus(JPEG), Part.corpus(PNG), Part.corpus(TIFF), Part.corpus(WEBP));
        Map<String, byte[]> zip = zipOf(post(u.apiKey(), "advanced-edit-bulk", parts,
                Map.of("fields", "{\"Artist\":\"Jane Bulk\",\"XMP-dc:Title\":\"Sunset ☀\",\"GPSLatitude\":-33.5}")));

        assertEquals(List.of(JPEG, PNG, TIFF, WEBP), new ArrayList<>(zip.keySet()), "exactly the inputs, in order");
        for (Part p : parts) {
            byte[] written = zip.get(p.name());
            JsonNode read = WriteSupport.readBack(pool, dir, written, true);
            assertEquals("Jane Bulk", value(read, "Artist"), p.name() + ": " + read);
            assertEquals("Sunset ☀", read.path("XMP-dc:Title").asText(), p.name());
            assertEquals(33.5, read.path("GPS:GPSLatitude").asDouble(), 1e-9, p.name());
            assertEquals("S", read.path("GPS:GPSLatitudeRef").asText(), p.name());
            assertEquals(WriteSupport.imageDataHash(pool, dir, p.bytes()), WriteSupport.imageDataHash(pool, dir, written),
                    p.name() + ": pixels untouched");
        }
        assertEquals(4, usedToday(u.userId()), "one unit a file");

        JsonNode history = WriteSupport.JSON.readTree(Api.as(u.apiKey()).accept("application/json")
                .get("/api/images/history").then().statusCode(200).extract().asString()).get("files");
        assertEquals(4, history.size());
        for (JsonNode entry : history) {
            assertEquals("advanced-edit", entry.path("tool").asText());
            assertTrue(entry.path("canDownload").asBoolean());
            byte[] downloaded = Api.as(u.apiKey()).get(entry.path("downloadUrl").asText()).then().statusCode(200)
                    .extract().asByteArray();
            assertArrayEquals(zip.get(entry.path("fileName").asText()), downloaded, "the history serves the same file");
        }

        TestUsers.Created other = TestUsers.create("pro");
        String otherHistory = Api.as(other.apiKey()).accept("application/json").get("/api/images/history")
                .then().statusCode(200).extract().asString();
        for (JsonNode entry : history) {
            String id = entry.path("id").asText();
            assertFalse(otherHistory.contains(id), "not in another user's history");
            Api.as(other.apiKey()).get("/api/images/history/" + id + "/download").then().statusCode(404);
            Api.as(other.apiKey()).get("/v1/images/" + id + "/file").then().statusCode(404);
        }
    }

    @Test
    void stripExifBulkLeavesNoMetadataAndTheSamePixels() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        List<Part> parts = List.of(Part.corpus(JPEG), Part.corpus(GPS_JPEG), Part.corpus(PNG));
        Map<String, byte[]> zip = zipOf(post(u.apiKey(), "strip-exif-bulk", parts, Map.of()));

        assertEquals(List.of(JPEG, GPS_JPEG, PNG), new ArrayList<>(zip.keySet()));
        for (Part p : parts) {
            byte[] stripped = zip.get(p.name());
            JsonNode before = WriteSupport.readBack(pool, dir, p.bytes(), false);
            JsonNode after = WriteSupport.readBack(pool, dir, stripped, false);
            assertTrue(StripGeoViewTest.hasGroup(before, "IFD0:", "XMP-", "IPTC:", "GPS:"), p.name() + " had metadata");
            assertFalse(StripGeoViewTest.hasGroup(after, "IFD0:", "ExifIFD:", "GPS:", "IFD1:", "XMP-", "IPTC:",
                    "MakerNotes:", "Canon:", "Photoshop:"), p.name() + ": no EXIF, XMP or IPTC left: " + after);
            assertEquals(StripGeoViewTest.hasGroup(before, "ICC_Profile:"), StripGeoViewTest.hasGroup(after, "ICC_Profile:"),
                    p.name() + ": ICC kept by default");
            assertEquals(WriteSupport.imageDataHash(pool, dir, p.bytes()), WriteSupport.imageDataHash(pool, dir, stripped),
                    p.name() + ": pixels untouched");
        }
        assertArrayEquals(WriteSupport.jpegScan(parts.get(0).bytes()), WriteSupport.jpegScan(zip.get(JPEG)));

        Map<String, byte[]> noIcc = zipOf(post(u.apiKey(), "strip-exif-bulk", List.of(Part.corpus(JPEG)),
                Map.of("keepIcc", "false")));
        assertFalse(StripGeoViewTest.hasGroup(WriteSupport.readBack(pool, dir, noIcc.get(JPEG), false), "ICC_Profile:"));
        post(u.apiKey(), "strip-exif-bulk", List.of(Part.corpus(JPEG)), Map.of("keepIcc", "maybe"))
                .then().statusCode(400).body("error", equalTo("invalid_keepIcc"));
        assertEquals(4, usedToday(u.userId()));
    }

    @Test
    void entryNamesAreUniqueBaseNames() throws Exception {
        String key = TestUsers.create("pro").apiKey();
        byte[] jpeg = Files.readAllBytes(Corpus.image(JPEG));
        List<String> names = List.of("a.jpg", "a.jpg", "A.JPG", "../x.jpg", "/etc/x.jpg", "C:\\Windows\\x.jpg",
                "..\\..\\b.jpg", "a (2).jpg");
        List<Part> parts = names.stream().map(n -> new Part(n, jpeg)).toList();
        Map<String, byte[]> zip = zipOf(post(key, "strip-exif-bulk", parts, Map.of()));
        assertEquals(List.of("a.jpg", "a (2).jpg", "A (3).JPG", "x.jpg", "x (2).jpg", "x (3).jpg", "b.jpg",
                "a (2) (2).jpg"), new ArrayList<>(zip.keySet()));
    }

    @Test
    void moreThanTwentyFilesAreRefusedNamingTheField() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        Part jpeg = Part.corpus(JPEG);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            parts.add(jpeg);
        }
        post(u.apiKey(), "strip-exif-bulk", parts, Map.of()).then().statusCode(400)
                .body("ok", equalTo(false)).body("error", equalTo("too_many_files")).body("field", equalTo("files"));
        post(u.apiKey(), "advanced-edit-bulk", List.of(), Map.of("fields", "{\"Artist\":\"x\"}")).then().statusCode(400)
                .body("error", equalTo("missing_files")).body("field", equalTo("files"));
        assertEquals(0, usedToday(u.userId()));
        assertEquals(0, images(u.userId()));
    }

    @Test
    void oneBadFileFailsTheRequestNamingItBeforeAnythingIsCounted() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        Part text = new Part("notes.txt", "just some notes, not an image\n".getBytes(StandardCharsets.UTF_8));
        post(u.apiKey(), "strip-exif-bulk", List.of(Part.corpus(JPEG), text, Part.corpus(PNG)), Map.of())
                .then().statusCode(400).contentType("application/json")
                .body("ok", equalTo(false)).body("error", equalTo("not_an_image"))
                .body("field", equalTo("files")).body("file", equalTo("notes.txt")).body("index", equalTo(2))
                .body("message", containsString("'notes.txt'"));
        post(u.apiKey(), "advanced-edit-bulk", List.of(Part.corpus(JPEG), Part.corpus("exiftool__BMP.bmp")),
                Map.of("fields", "{\"Artist\":\"x\"}"))
                .then().statusCode(400).body("error", equalTo("format_not_writable"))
                .body("file", equalTo("exiftool__BMP.bmp")).body("index", equalTo(2));
        post(u.apiKey(), "advanced-edit-bulk", List.of(Part.corpus(JPEG), new Part("empty.jpg", new byte[0])),
                Map.of("fields", "{\"Artist\":\"x\"}"))
                .then().statusCode(400).body("error", equalTo("empty_file")).body("file", equalTo("empty.jpg"));
        post(u.apiKey(), "advanced-edit-bulk", List.of(Part.corpus(JPEG)), Map.of("fields", "{\"FileName\":\"x.jpg\"}"))
                .then().statusCode(400).body("error", equalTo("invalid_field"));
        assertEquals(0, usedToday(u.userId()), "nothing counted");
        assertEquals(0, images(u.userId()), "nothing accepted");
    }

    @Test
    void aFileExifToolRefusesAtWriteTimeUndoesTheWholeRequest() throws Exception {
        // passes every check up front (a JPEG, writable format), fails only when ExifTool writes it
        TestUsers.Created u = TestUsers.create("pro");
        Part good = Part.corpus(JPEG);
        Part truncated = new Part("truncated.jpg", java.util.Arrays.copyOf(good.bytes(), 3000));
        post(u.apiKey(), "advanced-edit-bulk", List.of(good, truncated, Part.corpus(PNG)),
                Map.of("fields", "{\"Artist\":\"x\"}"))
                .then().statusCode(422).body("error", equalTo("write_failed"))
                .body("file", equalTo("truncated.jpg")).body("index", equalTo(2));
        assertEquals(0, usedToday(u.userId()), "all or none: the files written beside it are not counted");
        assertEquals(0, dev.exifq.testing.TestDb.count(
                "select count(*) from images where user_id = ? and status <> 'failed'", u.userId()),
                "the written ones are gone, only the failed one stays, as a single write's would");
        assertEquals(0, dev.exifq.testing.TestDb.count(
                "select count(*) from processed_files where user_id = ?", u.userId()), "no processed file left");
    }

    @Test
    void onlyAMultipartBodyToABulkPathMayHoldMoreThanOneFile() throws Exception {
        String key = TestUsers.create("pro").apiKey();
        String multipart = "Content-Type: multipart/form-data; boundary=x";
        // announced sizes: refused (413) before a byte of the body is read, or taken and waited for (408: none comes)
        assertEquals(413, announce("/api/images/strip-exif", multipart, 31L << 20, key));
        assertEquals(408, announce("/api/images/strip-exif-bulk", multipart, 31L << 20, key), "two 15 MB files fit");
        assertEquals(413, announce("/api/images/strip-exif-bulk", "Content-Type: application/json", 31L << 20, key),
                "other bodies are read into memory: the single limit");
        assertEquals(413, announce("/api/images/strip-exif-bulk", multipart, 521L << 20, key));
    }

    @Test
    void aBulkBodyIsReadOnlyForACallerWithValidCredentials() throws Exception {
        // up to 520 MB go to disk on these paths: nobody without credentials may make us store that
        String multipart = "Content-Type: multipart/form-data; boundary=x";
        for (String[] auth : List.of(new String[0], new String[] {"Authorization: Bearer exq_not_a_key"},
                new String[] {"Cookie: exifq_session=not.a.jwt"})) {
            List<String> headers = new java.util.ArrayList<>(List.of(multipart, "Content-Length: " + (200L << 20)));
            headers.addAll(List.of(auth));
            long started = System.nanoTime();
            RawHttp.Answer a = RawHttp.send(RestAssured.port, "POST /api/images/strip-exif-bulk HTTP/1.1",
                    headers.toArray(String[]::new));
            assertEquals(401, a.status(), List.of(auth) + ": " + a.body());
            assertEquals("unauthorized", WriteSupport.JSON.readTree(a.body()).path("error").asText());
            assertTrue(System.nanoTime() - started < java.util.concurrent.TimeUnit.SECONDS.toNanos(5),
                    "answered before the body, not after an idle timeout");
        }
    }

    static int announce(String path, String contentType, long length, String key) throws IOException {
        RawHttp.Answer a = RawHttp.sendUntilAnswered(RestAssured.port, "POST " + path + " HTTP/1.1", contentType,
                "Content-Length: " + length, "Authorization: Bearer " + key);
        if (a.status() == 413) {
            assertEquals("file_too_large", WriteSupport.JSON.readTree(a.body()).path("error").asText(), a.body());
        }
        return a.status();
    }

    @Test
    void theDailyLimitTakesAllTheFilesOrNone() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        TestDb.update("insert into usage_daily (user_id, day, count) values (?, cast(now() at time zone 'UTC' as date), 297)",
                u.userId());
        List<Part> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new Part("f" + i + ".jpg", Files.readAllBytes(Corpus.image(JPEG))));
        }
        post(u.apiKey(), "strip-exif-bulk", five, Map.of()).then().statusCode(429).body("error", equalTo("limit_reached"));
        assertEquals(297, usedToday(u.userId()), "3 left, 5 sent: none counted");
        assertEquals(0, images(u.userId()));

        assertEquals(3, zipOf(post(u.apiKey(), "strip-exif-bulk", five.subList(0, 3), Map.of())).size());
        assertEquals(300, usedToday(u.userId()));
    }

    @Test
    void freePlanIsRefusedLikeTheOtherProFeatures() throws Exception {
        TestUsers.Created u = TestUsers.create("free");
        for (String endpoint : List.of("strip-exif-bulk", "advanced-edit-bulk")) {
            post(u.apiKey(), endpoint, List.of(Part.corpus(JPEG)), Map.of("fields", "{\"Artist\":\"x\"}"))
                    .then().statusCode(403).body("error", equalTo("plan_required"))
                    .body("message", equalTo("The Pro plan is required for bulk processing."))
                    .body("upgradeUrl", equalTo("/pricing"));
        }
        assertEquals(0, images(u.userId()));
        Api.as("exq_not_a_key").multiPart("files", "a.jpg", new byte[] {1}).post("/api/images/strip-exif-bulk")
                .then().statusCode(401);
        Api.as(u.apiKey()).contentType("application/json").body("{}").post("/api/images/strip-exif-bulk")
                .then().statusCode(415);
    }
}
