package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.billing.Usage;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** advanced-edit: the seed's example, groups, lists, GPS references; refusals (named, nothing counted); injection. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdvancedEditTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";
    static final Path SCRATCH = Path.of("target/test-data/tmp").toAbsolutePath();

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

    int usedToday() {
        return usage.today(userId, "user", "pro").today();
    }

    byte[] edit(String fields) {
        return WriteSupport.post(key, "advanced-edit", JPEG, Map.of("fields", fields))
                .then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
    }

    @Test
    void theSeedExampleWritesTagsAndGpsReferences() throws Exception {
        byte[] out = edit("{\"Title\":\"Sunset\",\"Artist\":\"Jane\",\"Orientation\":1,\"GPSLatitude\":48.8566,"
                + "\"GPSLongitude\":2.3522}");
        JsonNode n = WriteSupport.readBack(pool, dir, out, true);
        assertEquals("Sunset", n.path("XMP-dc:Title").asText());
        assertEquals("Jane", n.path("IFD0:Artist").asText());
        assertEquals(1, n.path("IFD0:Orientation").asInt());
        assertEquals(48.8566, n.path("GPS:GPSLatitude").asDouble(), 1e-6);
        assertEquals("N", n.path("GPS:GPSLatitudeRef").asText());
        assertEquals(2.3522, n.path("GPS:GPSLongitude").asDouble(), 1e-6);
        assertEquals("E", n.path("GPS:GPSLongitudeRef").asText());
    }

    @Test
    void groupsWithColonOrDotListsAndSouthWest() throws Exception {
        byte[] out = edit("{\"IPTC.Keywords\":[\"one\",\"zwei ü\"],\"XMP-dc:Subject\":[\"s1\",\"s2\"],"
                + "\"EXIF:Copyright\":\"© me\",\"GPSLatitude\":-33.5,\"GPSLongitude\":-70.25,\"GPSAltitude\":-12.5}");
        JsonNode n = WriteSupport.readBack(pool, dir, out, true);
        assertEquals(List.of("one", "zwei ü"), WriteSupport.JSON.convertValue(n.get("IPTC:Keywords"), List.class));
        assertEquals(List.of("s1", "s2"), WriteSupport.JSON.convertValue(n.get("XMP-dc:Subject"), List.class));
        assertEquals("© me", n.path("IFD0:Copyright").asText());
        assertEquals(33.5, n.path("GPS:GPSLatitude").asDouble(), 1e-6);
        assertEquals("S", n.path("GPS:GPSLatitudeRef").asText());
        assertEquals(70.25, n.path("GPS:GPSLongitude").asDouble(), 1e-6);
        assertEquals("W", n.path("GPS:GPSLongitudeRef").asText());
        assertEquals(12.5, n.path("GPS:GPSAltitude").asDouble(), 1e-6);
        assertEquals(1, n.path("GPS:GPSAltitudeRef").asInt());
    }

    @Test
    void unknownReadOnlyAndFileSystemTagsAre400NamingThemAndNothingIsCounted() {
        int before = usedToday();
        for (String name : List.of("Flurb", "FileName", "Directory", "SymLink", "HardLink", "TestName",
                "FileModifyDate", "FileCreateDate", "FilePermissions", "Geotag", "Geosync", "all", "EXIF",
                "ThumbnailImage", "File:Comment", "System:FileName", "ExifToolVersion", "Composite:GPSPosition",
                "-execute", "-@", "-config", "Artist\n-execute", "Artist -o /tmp/x", "#Artist", "XMP-dc:Title=x",
                "IPTC:Keywords<=/etc/passwd", "Artist#", "-FileName")) {
            String fields = WriteSupport.JSON.createObjectNode().put(name, "x").toString();
            WriteSupport.post(key, "advanced-edit", JPEG, Map.of("fields", fields))
                    .then().log().ifStatusCodeMatches(equalTo(200)).statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_field"))
                    .body("field", equalTo(name));
        }
        assertEquals(before, usedToday(), "refused before anything was accepted");
    }

    @Test
    void aValueExifToolRefusesIs400NamingTheTagAndGivesTheUnitBack() {
        int before = usedToday();
        WriteSupport.post(key, "advanced-edit", JPEG, Map.of("fields", "{\"Artist\":\"ok\",\"Orientation\":\"banana\"}"))
                .then().statusCode(400).body("error", equalTo("invalid_field"))
                .body("message", containsString("Orientation"));
        WriteSupport.post(key, "advanced-edit", JPEG, Map.of("fields", "{\"DateTimeOriginal\":\"yesterday\"}"))
                .then().statusCode(400).body("message", containsString("DateTimeOriginal"));
        assertEquals(before, usedToday(), "failed writes are not counted");
    }

    @Test
    void badFieldsJsonIs400() {
        for (String bad : List.of("", "[]", "{", "{}", "\"x\"", "{\"Artist\":{\"a\":1}}", "{\"Artist\":1e400}")) {
            WriteSupport.post(key, "advanced-edit", JPEG, Map.of("fields", bad)).then().statusCode(400)
                    .body("ok", equalTo(false));
        }
        WriteSupport.post(key, "advanced-edit", JPEG, Map.of("fields", "{\"Artist\":\"x\"}", "mode", "nope"))
                .then().statusCode(400).body("error", equalTo("invalid_mode"));
    }

    @Test
    void optionsSmuggledInValuesAreWrittenLiterallyAndTouchNoFile() throws Exception {
        Path pwned = dir.resolve("pwned");
        String evil = "x\n-FileName=" + pwned + "\n-execute\n-Directory=" + dir + "\n-@\n/etc/passwd";
        String fields = WriteSupport.JSON.createObjectNode().put("Artist", evil).put("ImageDescription", "-config")
                .put("Copyright", "-execute42").put("XMP-dc:Title", "\u2212execute").toString();
        byte[] out = edit(fields);
        JsonNode n = WriteSupport.readBack(pool, dir, out, false);
        assertEquals(evil, n.path("IFD0:Artist").asText());
        assertEquals("-config", n.path("IFD0:ImageDescription").asText());
        assertEquals("-execute42", n.path("IFD0:Copyright").asText());
        assertEquals("\u2212execute", n.path("XMP-dc:Title").asText());
        assertFalse(Files.exists(pwned), "no file was renamed or created");
        try (Stream<Path> dirs = Files.list(SCRATCH)) {
            assertTrue(dirs.noneMatch(p -> p.getFileName().toString().startsWith("write")),
                    "each write's scratch folder is gone afterwards");
        }
    }
}
