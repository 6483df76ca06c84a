package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry marks, the purge deletes blob and row a day later; only admins purge (local disk store). */
@QuarkusTest
class RetentionTest {
    @Inject
    ProcessedFiles files;
    @Inject
    BlobStore blobs;

    static ProcessedFile fresh(String id) {
        return QuarkusTransaction.requiringNew().call(() -> ProcessedFile.<ProcessedFile>findById(id));
    }

    @Test
    void expiredFilesAreMarkedThenPurgedWithTheirBlob() throws Exception {
        String key = TestUsers.create("pro").apiKey();
        WriteSupport.post(key, "strip-exif", HistoryTest.JPEG, Map.of()).then().statusCode(200);
        JsonNode entry = WriteSupport.JSON.readTree(Api.as(key).accept("application/json").get("/api/images/history")
                .then().statusCode(200).extract().asString()).at("/files/0");
        String id = entry.path("id").asText();
        Instant created = Instant.parse(entry.path("createdAt").asText());
        String blobKey = fresh(id).blobKey;
        assertTrue(blobs.exists(blobKey));

        HistoryTest.clockAt(created.plus(Duration.ofHours(23)));
        files.expire();
        assertFalse(fresh(id).deleted, "not expired before 24 h");

        HistoryTest.clockAt(created.plus(Duration.ofHours(25)));
        assertTrue(files.expire() >= 1);
        assertEquals("deleted", WriteSupport.JSON.readTree(Api.as(key).accept("application/json")
                .get("/api/images/history").then().extract().asString()).at("/files/0/status").asText());
        Api.as(key).get("/v1/images/" + id + "/file").then().statusCode(410);
        files.purge();
        assertTrue(blobs.exists(blobKey), "soft-deleted files stay a day before the purge");

        HistoryTest.clockAt(created.plus(Duration.ofHours(49)));
        Api.as(key).post("/api/admin/files/purge").then().statusCode(403);
        Api.asAdmin().post("/api/admin/files/purge").then().statusCode(200).body("ok", equalTo(true))
                .body("failed", equalTo(0));
        assertFalse(blobs.exists(blobKey), "blob deleted");
        assertNull(fresh(id), "row deleted");
        Api.as(key).get("/v1/images/" + id + "/file").then().statusCode(404);
    }

    @Test
    void deletingAnImageOrAUserMarksTheirFiles() throws Exception {
        TestUsers.Created u = TestUsers.create("pro");
        WriteSupport.post(u.apiKey(), "strip-exif", HistoryTest.JPEG, Map.of()).then().statusCode(200);
        WriteSupport.post(u.apiKey(), "strip-exif", HistoryTest.JPEG, Map.of()).then().statusCode(200);
        JsonNode list = WriteSupport.JSON.readTree(Api.as(u.apiKey()).accept("application/json")
                .get("/api/images/history").then().extract().asString()).get("files");
        assertEquals(1, files.deleteForImage(list.get(0).path("id").asText()));
        assertEquals(1, files.deleteForUser(u.userId()), "the other one");
        Api.as(u.apiKey()).get("/v1/images/" + list.get(1).path("id").asText() + "/file").then().statusCode(410);
    }
}
