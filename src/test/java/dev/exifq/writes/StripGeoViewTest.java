package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.billing.Usage;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** strip-exif, geo-exif, an unwritable format, and the public view-exif with its rate limit. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripGeoViewTest {
    /** EXIF with GPS, maker notes, a thumbnail, XMP, IPTC and an ICC profile. */
    static final String RICH_JPEG = "exifsamples__jpg__Canon_40D.jpg";
    static final String GPS_JPEG = "exifsamples__jpg__Kodak_CX7530.jpg";

    @Inject
    ExifToolPool pool;
    @Inject
    Usage usage;
    @TempDir
    Path dir;
    long userId;
    String key;

    @BeforeAll
    void user() {
        TestUsers.Created u = TestUsers.create("pro");
        userId = u.userId();
        key = u.apiKey();
    }

    static boolean hasGroup(JsonNode read, String... prefixes) {
        for (Iterator<String> it = read.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            for (String p : prefixes) {
                if (name.startsWith(p)) return true;
            }
        }
        return false;
    }

    @Test
    void stripRemovesAllMetadataKeepsIccAndPixels() throws Exception {
        byte[] original = Files.readAllBytes(Corpus.image(RICH_JPEG));
        JsonNode before = WriteSupport.readBack(pool, dir, original, false);
        assertTrue(hasGroup(before, "IFD0:", "ExifIFD:", "Canon:", "IFD1:", "XMP-", "IPTC:"), "the input has metadata");
        assertTrue(hasGroup(before, "ICC_Profile:"));

        byte[] kept = WriteSupport.post(key, "strip-exif", RICH_JPEG, Map.of())
                .then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
        JsonNode k = WriteSupport.readBack(pool, dir, kept, false);
        assertFalse(hasGroup(k, "IFD0:", "ExifIFD:", "GPS:", "IFD1:", "Canon:", "MakerNotes:", "XMP-", "IPTC:",
                "Photoshop:", "File:Comment", "JFIF:"), "no metadata left: " + k);
        assertTrue(hasGroup(k, "ICC_Profile:"), "ICC kept by default: " + k);
        assertArrayEquals(WriteSupport.jpegScan(original), WriteSupport.jpegScan(kept), "pixels untouched");

        byte[] dropped = WriteSupport.post(key, "strip-exif", RICH_JPEG, Map.of("keepIcc", "false"))
                .then().statusCode(200).extract().asByteArray();
        JsonNode d = WriteSupport.readBack(pool, dir, dropped, false);
        assertFalse(hasGroup(d, "ICC_Profile:", "ICC-", "IFD0:", "XMP-", "IPTC:"), "keepIcc=false drops it: " + d);
        assertArrayEquals(WriteSupport.jpegScan(original), WriteSupport.jpegScan(dropped));

        WriteSupport.post(key, "strip-exif", RICH_JPEG, Map.of("keepIcc", "maybe"))
                .then().statusCode(400).body("error", equalTo("invalid_keepIcc"));
    }

    @Test
    void stripRemovesGps() throws Exception {
        byte[] out = WriteSupport.post(key, "strip-exif", GPS_JPEG, Map.of()).then().statusCode(200)
                .extract().asByteArray();
        assertFalse(hasGroup(WriteSupport.readBack(pool, dir, out, false), "GPS:", "Composite:GPS"));
    }

    @Test
    void geoWritesSignedPositionAndAltitude() throws Exception {
        byte[] out = WriteSupport.post(key, "geo-exif", RICH_JPEG,
                Map.of("latitude", "-33.8688", "longitude", "-151.2093", "altitude", "-10.5")).then().statusCode(200)
                .extract().asByteArray();
        JsonNode n = WriteSupport.readBack(pool, dir, out, true);
        assertEquals(33.8688, n.path("GPS:GPSLatitude").asDouble(), 1e-6);
        assertEquals("S", n.path("GPS:GPSLatitudeRef").asText());
        assertEquals(151.2093, n.path("GPS:GPSLongitude").asDouble(), 1e-6);
        assertEquals("W", n.path("GPS:GPSLongitudeRef").asText());
        assertEquals(10.5, n.path("GPS:GPSAltitude").asDouble(), 1e-6);
        assertEquals(1, n.path("GPS:GPSAltitudeRef").asInt(), "below sea level");
        assertEquals("Canon", n.path("IFD0:Make").asText(), "the rest stays");

        JsonNode up = WriteSupport.readBack(pool, dir, WriteSupport.post(key, "geo-exif", RICH_JPEG,
                Map.of("latitude", "48.8566", "longitude", "2.3522", "altitude", "35")).then().statusCode(200)
                .extract().asByteArray(), true);
        assertEquals("N", up.path("GPS:GPSLatitudeRef").asText());
        assertEquals("E", up.path("GPS:GPSLongitudeRef").asText());
        assertEquals(0, up.path("GPS:GPSAltitudeRef").asInt());
    }

    @Test
    void geoValidation() {
        int before = usage.today(userId, "user", "pro").today();
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("latitude", "91", "longitude", "0"), "invalid_latitude",
                Map.of("latitude", "-90.5", "longitude", "0"), "invalid_latitude",
                Map.of("latitude", "0", "longitude", "180.01"), "invalid_longitude",
                Map.of("latitude", "0", "longitude", "east"), "invalid_longitude",
                Map.of("longitude", "1"), "missing_latitude",
                Map.of("latitude", "1"), "missing_longitude",
                Map.of("latitude", "1", "longitude", "1", "altitude", "1e9"), "invalid_altitude",
                Map.of("latitude", "NaN", "longitude", "1"), "invalid_latitude");
        bad.forEach((fields, code) -> WriteSupport.post(key, "geo-exif", RICH_JPEG, fields)
                .then().statusCode(400).body("error", equalTo(code)));
        assertEquals(before, usage.today(userId, "user", "pro").today());
    }

    @Test
    void aFormatExifToolCannotWriteIs415AndNotCounted() {
        int before = usage.today(userId, "user", "pro").today();
        WriteSupport.post(key, "strip-exif", "exiftool__BMP.bmp", Map.of())
                .then().statusCode(415).body("error", equalTo("format_not_writable"));
        WriteSupport.post(key, "edit-exif", "exiftool__BMP.bmp", Map.of("title", "x"))
                .then().statusCode(415);
        assertEquals(before, usage.today(userId, "user", "pro").today());
    }

    @Test
    void viewExifIsPublicFlatAndSignsGps() throws Exception {
        JsonNode body = WriteSupport.JSON.readTree(RestAssured.given().header("X-Forwarded-For", "198.51.100.7")
                .multiPart("file", Corpus.image(GPS_JPEG).toFile()).post("/api/images/view-exif")
                .then().statusCode(200).body("ok", equalTo(true)).extract().asString());
        JsonNode md = body.get("metadata");
        assertEquals("EASTMAN KODAK COMPANY", md.path("Make").asText());
        assertEquals("1/250", md.path("ExposureTime").asText());
        assertTrue(md.get("GPSLatitude").isNumber() && md.get("GPSLongitude").isNumber(), "numbers: " + md);
        assertEquals(-0.3713, md.get("GPSLatitude").asDouble(), 1e-6, "south is negative");
        assertEquals(36.05641667, md.get("GPSLongitude").asDouble(), 1e-6);
        assertEquals(-0.3713, body.at("/gps/lat").asDouble(), 1e-6);
        assertEquals(36.05641667, body.at("/gps/lng").asDouble(), 1e-6);
        for (String server : new String[] {"SourceFile", "Directory", "FileName", "FilePermissions", "ExifToolVersion"}) {
            assertFalse(md.has(server), server + " is our server's, not the image's");
        }
        RestAssured.given().header("X-Forwarded-For", "198.51.100.7")
                .multiPart("file", Corpus.image(RICH_JPEG).toFile()).post("/api/images/view-exif")
                .then().statusCode(200).body("gps", nullValue()).body("metadata.Model", equalTo("Canon EOS 40D"));
    }

    @Test
    void viewExifRefusesNonImagesAndIsRateLimitedPerAddress() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "just text");
        RestAssured.given().header("X-Forwarded-For", "198.51.100.20").multiPart("file", text.toFile())
                .post("/api/images/view-exif").then().statusCode(415).body("error", equalTo("not_an_image"));
        RestAssured.given().header("X-Forwarded-For", "198.51.100.20").multiPart("other", "x")
                .post("/api/images/view-exif").then().statusCode(400).body("error", equalTo("missing_file"));
        String address = "198.51.100.21";
        for (int i = 0; i < 5; i++) { // %test.exifq.writes.view-exif.max-per-address
            RestAssured.given().header("X-Forwarded-For", address).multiPart("file", Corpus.image(RICH_JPEG).toFile())
                    .post("/api/images/view-exif").then().statusCode(200);
        }
        RestAssured.given().header("X-Forwarded-For", address).multiPart("file", Corpus.image(RICH_JPEG).toFile())
                .post("/api/images/view-exif").then().statusCode(429).body("error", equalTo("rate_limited"))
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                .body("retry_after", org.hamcrest.Matchers.greaterThan(0));
        RestAssured.given().header("X-Forwarded-For", "198.51.100.22").multiPart("file", Corpus.image(RICH_JPEG).toFile())
                .post("/api/images/view-exif").then().statusCode(200);
    }
}
