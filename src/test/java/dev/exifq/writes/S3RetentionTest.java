package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.storage.OnS3;
import dev.exifq.storage.S3TestResource;
import dev.exifq.testing.Api;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention with processed files on S3 (S3Proxy in the test JVM), on the controllable clock RetentionTest uses:
 * expiry, then the purge deletes object and row; with S3 down the purge keeps the row, and a later purge deletes
 * both, so no object is left behind without a row that names it.
 */
@QuarkusTest
@TestProfile(OnS3.class)
class S3RetentionTest {
    @Inject
    ProcessedFiles files;

    /** A processed file of a new user's: its id, creation time and blob key (checked to be in the bucket). */
    record Written(String id, Instant created, String blobKey) {}

    static Written strip() throws Exception {
        String key = TestUsers.create("pro").apiKey();
        WriteSupport.post(key, "strip-exif", HistoryTest.JPEG, Map.of()).then().statusCode(200);
        JsonNode entry = WriteSupport.JSON.readTree(Api.as(key).accept("application/json").get("/api/images/history")
                .then().statusCode(200).extract().asString()).at("/files/0");
        String id = entry.path("id").asText();
        String blobKey = RetentionTest.fresh(id).blobKey;
        assertTrue(S3TestResource.stored(blobKey), "the processed file is in the bucket");
        return new Written(id, Instant.parse(entry.path("createdAt").asText()), blobKey);
    }

    @Test
    void expiredFilesArePurgedFromTheBucket() throws Exception {
        Written w = strip();
        HistoryTest.clockAt(w.created().plus(Duration.ofHours(25)));
        assertTrue(files.expire() >= 1);
        assertTrue(RetentionTest.fresh(w.id()).deleted);
        files.purge();
        assertTrue(S3TestResource.stored(w.blobKey()), "soft-deleted files stay a day before the purge");

        HistoryTest.clockAt(w.created().plus(Duration.ofHours(49)));
        ProcessedFiles.PurgeReport report = files.purge();
        assertTrue(report.purged() >= 1, "purged: " + report);
        assertFalse(S3TestResource.stored(w.blobKey()), "object deleted");
        assertNull(RetentionTest.fresh(w.id()), "row deleted");
    }

    @Test
    void aPurgeWithS3DownKeepsTheRowAndALaterPurgeDeletesBoth() throws Exception {
        Written w = strip();
        HistoryTest.clockAt(w.created().plus(Duration.ofHours(49)));
        files.expire();

        S3TestResource.outage();
        try {
            ProcessedFiles.PurgeReport down = files.purge();
            assertTrue(down.failed() >= 1, "the delete failed: " + down);
            assertNotNull(RetentionTest.fresh(w.id()), "the row stays, naming the object");
            assertTrue(RetentionTest.fresh(w.id()).deleted);
        } finally {
            S3TestResource.recover();
        }
        assertTrue(S3TestResource.stored(w.blobKey()), "S3 was down: the object is still there");

        ProcessedFiles.PurgeReport up = files.purge();
        assertEquals(0, up.failed(), "S3 is back: " + up);
        assertFalse(S3TestResource.stored(w.blobKey()), "object deleted by the later purge");
        assertNull(RetentionTest.fresh(w.id()), "row deleted");
    }
}
