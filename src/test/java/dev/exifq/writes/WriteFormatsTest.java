package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * edit-exif, strip-exif and geo-exif on PNG, TIFF, WebP and HEIC (JPEG: EditExifTest, StripGeoViewTest): the
 * mapping read back per format (WebP and HEIC have no IPTC IIM, ExifTool writes none there), strip leaves only
 * structure and ICC, and the image data is byte-identical (ExifTool's ImageDataHash).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteFormatsTest {
    @Inject
    ExifToolPool pool;
    @TempDir
    Path dir;
    String key;

    @BeforeAll
    void user() {
        key = TestUsers.create("pro").apiKey();
    }

    String imageDataHash(byte[] bytes) throws Exception {
        return WriteSupport.imageDataHash(pool, dir, bytes);
    }

    @ParameterizedTest
    @CsvSource({"exiftool__PNG.png, image/png, true", "exiftool__ExifTool.tif, image/tiff, true",
            "exiftool__RIFF.webp, image/webp, false", "exifsamples__heic__IMG_5195.HEIC, image/heic, false"})
    void editExifWritesTheMapping(String file, String contentType, boolean iptc) throws Exception {
        byte[] out = WriteSupport.post(key, "edit-exif", file, EditExifTest.FIELDS).then().statusCode(200)
                .contentType(contentType).extract().asByteArray();
        EditExifTest.assertTags(EditExifTest.expected(iptc, true), WriteSupport.readBack(pool, dir, out, false));
        assertEquals(imageDataHash(Files.readAllBytes(Corpus.image(file))), imageDataHash(out), "pixels untouched");
    }

    @ParameterizedTest
    @CsvSource({"exiftool__PNG.png", "exiftool__ExifTool.tif", "exiftool__RIFF.webp", "exifsamples__heic__IMG_5195.HEIC"})
    void stripLeavesNoMetadataKeepsIccAndPixels(String file) throws Exception {
        byte[] original = Files.readAllBytes(Corpus.image(file));
        boolean hadIcc = StripGeoViewTest.hasGroup(WriteSupport.readBack(pool, dir, original, false), "ICC_Profile:");
        byte[] out = WriteSupport.post(key, "strip-exif", file, Map.of()).then().statusCode(200).extract().asByteArray();
        JsonNode read = WriteSupport.readBack(pool, dir, out, false);
        assertFalse(StripGeoViewTest.hasGroup(read, "ExifIFD:", "GPS:", "IFD1:", "XMP-", "IPTC:", "MakerNotes:",
                "Apple:", "Photoshop:", "PNG:Comment", "IFD0:ImageDescription", "IFD0:Make", "IFD0:Model",
                "IFD0:Software", "IFD0:ModifyDate", "IFD0:Artist", "IFD0:Copyright"), file + ": " + read);
        if (!file.endsWith(".tif")) {
            assertFalse(StripGeoViewTest.hasGroup(read, "IFD0:"), file + " has no EXIF at all: " + read);
        }
        assertEquals(hadIcc, StripGeoViewTest.hasGroup(read, "ICC_Profile:"), "ICC kept where there was one");
        assertEquals(imageDataHash(original), imageDataHash(out), "pixels untouched");
    }

    @ParameterizedTest
    @CsvSource({"exiftool__PNG.png", "exiftool__ExifTool.tif", "exiftool__RIFF.webp", "exifsamples__heic__IMG_5195.HEIC"})
    void geoExif(String file) throws Exception {
        byte[] out = WriteSupport.post(key, "geo-exif", file, Map.of("latitude", "-12.5", "longitude", "45.25"))
                .then().statusCode(200).extract().asByteArray();
        JsonNode n = WriteSupport.readBack(pool, dir, out, true);
        assertEquals(12.5, n.path("GPS:GPSLatitude").asDouble(), 1e-6, file + ": " + n);
        assertEquals("S", n.path("GPS:GPSLatitudeRef").asText());
        assertEquals(45.25, n.path("GPS:GPSLongitude").asDouble(), 1e-6);
        assertEquals("E", n.path("GPS:GPSLongitudeRef").asText());
    }
}
