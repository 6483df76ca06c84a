package dev.exifq.images;

import dev.exifq.platform.Ulid;
import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.ApiReplicaProfile;
import dev.exifq.testing.Corpus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose upload's connection broke retries with the same Idempotency-Key and gets the first request's image.
 * When the first request's node died after writing the row and before storing the file (the cluster test's kill
 * caught exactly that), the repeat stores its identical bytes for that image. On an api replica nothing runs an
 * image here, so the image waits queued and its stored original can be looked at.
 */
@QuarkusTest
@TestProfile(ApiReplicaProfile.class)
class IdempotentReplayStorageTest {
    @TempDir
    Path tmp;

    @Inject
    BlobStore blobs;

    @Test
    void aRepeatStoresTheFileItsFirstRequestNeverStored() throws Exception {
        Path photo = tmp.resolve("photo.jpg");
        Files.write(photo, Files.readAllBytes(Corpus.image("exifsamples__jpg__Canon_40D.jpg")));
        Files.write(photo, Ulid.next().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        String key = "replay-" + Ulid.next();

        Response first = upload(photo, key);
        assertEquals(202, first.statusCode(), first.asString());
        String id = first.path("id");
        String blobKey = Image.<Image>findByIdOptional(id).orElseThrow().blobKey;
        assertTrue(blobs.exists(blobKey));
        blobs.delete(blobKey); // as if the node had died before storing it
        assertFalse(blobs.exists(blobKey));

        Response again = upload(photo, key);
        assertEquals(202, again.statusCode(), again.asString());
        assertEquals(id, again.path("id"), "the repeat answers the first request's image");
        assertTrue(blobs.exists(blobKey), "the repeat stored the file under the first image's key");
        try (InputStream in = blobs.open(blobKey)) {
            assertArrayEquals(Files.readAllBytes(photo), in.readAllBytes());
        }
        assertEquals(1, Image.count("id = ?1 or blobKey = ?2", id, blobKey), "no second image");
        assertEquals("queued", Api.asAdmin().get("/v1/images/" + id).path("status"), "waiting for a worker replica");
    }

    private static Response upload(Path photo, String key) {
        return Api.asAdmin().header("Idempotency-Key", key).multiPart("file", photo.toFile())
                .multiPart("async", "true").post("/v1/images");
    }
}
