package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.SwitchedOffProfile;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestServer;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * exifq.retention.originals=0: the original leaves the blob store as soon as its image is processed or failed,
 * and what stays (metadata, hashes, duplicate search) keeps working.
 */
@QuarkusTest
@TestProfile(SwitchedOffProfile.class)
class RetentionZeroTest {
    private static final String PHOTO = "exifsamples__jpg__Canon_40D.jpg";

    @Inject
    BlobStore blobs;

    @Test
    void aProcessedImageLosesItsOriginalAndKeepsMetadataHashesAndDuplicates() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        // two copies with the same pixels and different bytes: near duplicates of each other, not exact ones
        Path firstFile = Corpus.uniqueCopy(PHOTO);
        String first = upload(user, firstFile);
        String second = upload(user, Corpus.uniqueCopy(PHOTO));

        for (String id : List.of(first, second)) {
            JsonNode image = originalGone(user, id);
            assertEquals("processed", image.path("status").asText());
            assertEquals(Corpus.expectedMetadata(PHOTO).get("EXIF"), image.path("metadata").get("EXIF"));
            assertEquals(Corpus.hashes(PHOTO).dhash(), image.path("dhash").asText());
            assertEquals(Corpus.hashes(PHOTO).phash(), image.path("phash").asText());
            assertEquals(1, TestDb.count("select count(*) from image_hashes where image_id = ?", id));
        }
        assertFalse(blobs.exists(OriginalKeys.of(first, ImageSniffer.sniff(firstFile))));

        Response duplicates = Api.as(user.apiKey()).get("/v1/images/" + first + "/duplicates?max_distance=0");
        assertEquals(200, duplicates.statusCode(), duplicates.asString());
        assertEquals(List.of(second), duplicates.jsonPath().getList("similar.id"));
    }

    @Test
    void aFailedImageLosesItsOriginalToo() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        try (TestServer server = new TestServer()) {
            // text served as image/jpeg: fetched and stored, then ExifTool finds no image in it
            Response r = Api.as(user.apiKey()).contentType("application/json")
                    .body(Map.of("url", server.url("/text"), "async", false)).post("/v1/images");
            assertEquals(200, r.statusCode(), r.asString());
            JsonNode image = originalGone(user, r.path("id"));
            assertEquals("failed", image.path("status").asText());
            assertEquals("not_an_image", image.path("error_code").asText());
        }
    }

    private static String upload(TestUsers.Created user, Path file) {
        Response r = Api.as(user.apiKey()).multiPart("file", file.toFile()).post("/v1/images");
        assertEquals(200, r.statusCode(), r.asString());
        return r.path("id");
    }

    /**
     * Waits a few seconds at most for {@code original_stored: false}, then checks that the original was stored and
     * expired (not merely never stored) and that nothing of it is left: no key in the row, no pending outbox row,
     * no file of the image's in the blob store's folder of originals.
     */
    private JsonNode originalGone(TestUsers.Created user, String id) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode image;
        while (true) {
            image = Corpus.EXACT.readTree(Api.as(user.apiKey()).get("/v1/images/" + id).then().statusCode(200)
                    .extract().asString());
            if (!image.path("original_stored").asBoolean(true) || System.nanoTime() > giveUp) {
                break;
            }
            Thread.sleep(100);
        }
        assertFalse(image.path("original_stored").asBoolean(true), "original still stored after 5 s: " + image);
        assertNull(TestDb.string("select blob_key from images where id = ?", id));
        assertNotNull(TestDb.string("select original_deleted_at from images where id = ?", id),
                "the image never had a stored original to expire");
        assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key like ?", "originals/" + id + "%"));
        assertFalse(blobs.exists("originals/" + id));
        assertEquals(List.of(), originalFiles(id));
        return image;
    }

    private static List<Path> originalFiles(String id) throws IOException {
        Path dir = Path.of(ConfigProvider.getConfig().getValue("exifq.data-dir", String.class), "blobs", "originals");
        assertTrue(Files.isDirectory(dir), "not the local blob store's folder: " + dir.toAbsolutePath());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id)).toList();
        }
    }
}
