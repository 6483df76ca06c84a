package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exifq.platform.Ulid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identical bytes are extracted once; the second image carries the same results and says it was reused only when
 * the caller's own earlier upload was.
 */
@QuarkusTest
class ExtractionReuseTest {

    @Test
    void sameBytesReuseTheStoredExtraction(@TempDir Path tmp) throws Exception {
        // bytes no other test uploads (a corpus JPEG plus a unique trailer), so the first upload here is the
        // first extraction of them
        Path image = uniqueJpeg(tmp);
        Response first = Api.asAdmin().multiPart("file", image.toFile()).post("/v1/images");
        Response second = Api.asAdmin().multiPart("file", image.toFile(), "image/jpeg")
                .multiPart("filename", "renamed.jpg").post("/v1/images");
        assertEquals("processed", first.path("status"), first.asString());
        assertEquals("processed", second.path("status"), second.asString());
        assertFalse((Boolean) first.path("cached"));
        assertTrue((Boolean) second.path("cached"));
        assertNotEquals((String) first.path("id"), (String) second.path("id"));
        assertEquals("renamed.jpg", second.path("filename"));
        assertEquals((String) first.path("checksum"), second.path("checksum"));
        assertEquals((String) first.path("phash"), second.path("phash"));
        assertEquals(Corpus.EXACT.readTree(first.asString()).get("metadata"),
                Corpus.EXACT.readTree(second.asString()).get("metadata"));
    }

    @Test
    void anotherAccountsUploadIsReusedWithoutSayingSo(@TempDir Path tmp) throws Exception {
        Path image = uniqueJpeg(tmp);
        String other = TestUsers.create("pro").apiKey();
        Response theirs = Api.asAdmin().multiPart("file", image.toFile()).post("/v1/images");
        Response first = Api.as(other).multiPart("file", image.toFile()).post("/v1/images");
        Response again = Api.as(other).multiPart("file", image.toFile()).post("/v1/images");
        assertEquals("processed", theirs.path("status"), theirs.asString());
        assertEquals("processed", first.path("status"), first.asString());
        assertEquals("processed", again.path("status"), again.asString());
        assertFalse((Boolean) first.path("cached"), "must not tell that another account has these bytes");
        assertEquals((String) theirs.path("phash"), first.path("phash"));
        assertTrue((Boolean) again.path("cached"), "the caller's own earlier upload was reused");
    }

    private static Path uniqueJpeg(Path tmp) throws Exception {
        Path image = Files.createTempFile(tmp, "reuse", ".jpg");
        Files.write(image, Files.readAllBytes(Corpus.image("exifsamples__jpg__orientation__portrait_7.jpg")));
        Files.write(image, Ulid.next().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        return image;
    }
}
