package dev.exifq.images;

import dev.exifq.storage.OnS3;
import dev.exifq.storage.S3TestResource;
import dev.exifq.testing.Api;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.exifq.images.ImageDeletionTest.uploadProcessed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deletion and expiry with originals on S3 (S3Proxy in the test JVM), including an S3 outage right after the row
 * delete: the state a server killed between the row delete and the blob delete leaves. The outbox row keeps the
 * blob's key until a drain after the outage deletes it.
 */
@QuarkusTest
@TestProfile(OnS3.class)
class S3DeletionTest {

    @Inject
    BlobDeletions blobDeletions;
    @Inject
    OriginalRetention retention;

    @Test
    void deleteRemovesTheObjectFromTheBucket() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String id = uploadProcessed(user.apiKey()).getString("id");
        String key = TestDb.string("select blob_key from images where id = ?", id);
        assertTrue(S3TestResource.stored(key));

        Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(204);

        assertFalse(S3TestResource.stored(key));
        assertEquals(0, TestDb.count("select count(*) from images where id = ?", id));
        assertEquals(0, TestDb.count("select count(*) from image_hashes where image_id = ?", id));
        assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key = ?", key));
    }

    @Test
    void aBlobDeleteThatFailsIsRetriedUntilTheObjectIsGone() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String id = uploadProcessed(user.apiKey()).getString("id");
        String key = TestDb.string("select blob_key from images where id = ?", id);

        S3TestResource.outage();
        try {
            Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(204);
            assertEquals(0, TestDb.count("select count(*) from images where id = ?", id));
            assertTrue(S3TestResource.stored(key), "S3 was down: the object is still there");
            assertEquals(1, TestDb.count(
                    "select count(*) from blob_deletions where blob_key = ? and attempts >= 1 and last_error is not null", key));
        } finally {
            S3TestResource.recover();
        }
        // what the scheduled drain does once the backoff has passed (any replica, also after a restart)
        TestDb.update("update blob_deletions set not_before = now() where blob_key = ?", key);
        blobDeletions.drain();

        assertFalse(S3TestResource.stored(key));
        assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key = ?", key));
    }

    @Test
    void expiryRemovesTheObjectFromTheBucket() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String id = uploadProcessed(user.apiKey()).getString("id");
        String key = TestDb.string("select blob_key from images where id = ?", id);

        TestDb.update("update images set completed_at = completed_at - interval '25 hours' where id = ?", id);
        retention.expireFinishedBefore(Instant.now().minus(retention.keep().orElseThrow()));

        assertFalse(S3TestResource.stored(key));
        assertEquals(1, TestDb.count("select count(*) from image_hashes where image_id = ?", id));
        Api.as(user.apiKey()).get("/v1/images/" + id).then().statusCode(200)
                .body("original_stored", org.hamcrest.Matchers.equalTo(false));
    }
}
