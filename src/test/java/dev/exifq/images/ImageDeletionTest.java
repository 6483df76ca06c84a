package dev.exifq.images;

import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestServer;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DELETE /v1/images/{id} and the expiry of originals, on local disk (S3: {@link S3DeletionTest}): after either,
 * nothing of what went is left in the database or the blob store, and what stays (after expiry) still works.
 */
@QuarkusTest
class ImageDeletionTest {
    private static final String PHOTO = "exifsamples__jpg__Canon_40D.jpg";

    @Inject
    BlobStore blobs;
    @Inject
    OriginalRetention retention;
    @Inject
    ImageProcessor processor;

    static JsonPath uploadProcessed(String apiKey) throws Exception {
        JsonPath image = Api.as(apiKey).multiPart("file", Corpus.uniqueCopy(PHOTO).toFile()).post("/v1/images")
                .then().statusCode(200).body("status", equalTo("processed")).extract().jsonPath();
        assertTrue(image.getBoolean("original_stored"));
        return image;
    }

    @Test
    void deleteLeavesNothingOfTheImageButKeepsTheUnitConsumed() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        JsonPath image = uploadProcessed(user.apiKey());
        String id = image.getString("id");
        String checksum = image.getString("checksum");
        String key = TestDb.string("select blob_key from images where id = ?", id);
        assertTrue(blobs.exists(key));
        assertEquals(1, TestDb.count("select count(*) from image_hashes where image_id = ?", id));
        assertEquals(1, TestDb.count("select count(*) from extraction_cache where checksum = ?", checksum));
        assertEquals(1, similar(user.apiKey(), image).size());

        Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(204);

        assertEquals(0, TestDb.count("select count(*) from images where id = ?", id));
        assertEquals(0, TestDb.count("select count(*) from image_hashes where image_id = ?", id));
        assertEquals(0, TestDb.count("select count(*) from extraction_cache where checksum = ?", checksum));
        assertEquals(0, TestDb.count("select count(*) from usage_reservations where image_id = ?", id));
        assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key = ?", key));
        assertFalse(blobs.exists(key));
        assertEquals(List.of(), similar(user.apiKey(), image));
        Api.as(user.apiKey()).get("/v1/images/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        // deleting is no way around the daily limit
        Api.as(user.apiKey()).get("/api/billing/status").then().statusCode(200).body("usage.today", equalTo(1));
    }

    @Test
    void anotherUsersImageIs404AndStays() throws Exception {
        TestUsers.Created owner = TestUsers.create("pro");
        TestUsers.Created other = TestUsers.create("pro");
        String id = uploadProcessed(owner.apiKey()).getString("id");

        Api.as(other.apiKey()).delete("/v1/images/" + id).then().statusCode(404).body("ok", equalTo(false));
        Api.as(other.apiKey()).delete("/v1/images/not-an-id").then().statusCode(404).body("error", equalTo("not_found"));
        Api.as(owner.apiKey()).get("/v1/images/" + id).then().statusCode(200);
    }

    @Test
    void aRunFetchingTheImageWhenItIsDeletedWritesNothingAndLeavesNoBlob() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        try (TestServer server = new TestServer()) {
            String id = Api.as(user.apiKey()).contentType("application/json")
                    .body(Map.of("url", server.url("/trickle/" + PHOTO + "?pause=150"), "async", true))
                    .post("/v1/images").then().statusCode(202).extract().path("id");
            waitFor(() -> processor.running(id), "the run to claim the image");

            Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(204);
            waitFor(() -> !processor.running(id), "the run to end");

            assertEquals(1, server.hits("/trickle/"), "the run fetched the file while the image was deleted");
            assertEquals(0, TestDb.count("select count(*) from images where id = ?", id));
            assertEquals(0, TestDb.count("select count(*) from image_hashes where image_id = ?", id));
            assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key like ?", "originals/" + id + "%"));
            assertFalse(blobs.exists(OriginalKeys.of(id, ImageSniffer.sniff(Corpus.image(PHOTO)))), "the fetched original was stored and left behind");
        }
    }

    @Test
    void expiryDeletesTheOriginalAndKeepsMetadataAndHashes() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        JsonPath image = uploadProcessed(user.apiKey());
        String id = image.getString("id");
        String key = TestDb.string("select blob_key from images where id = ?", id);
        assertEquals(Duration.ofHours(24), retention.keep().orElseThrow());

        retention.expireFinishedBefore(Instant.now().minus(retention.keep().get())); // the scheduled pass
        assertTrue(blobs.exists(key), "an image finished just now keeps its original for 24 hours");

        TestDb.update("update images set completed_at = completed_at - interval '24 hours 1 minute' where id = ?", id);
        retention.expireFinishedBefore(Instant.now().minus(retention.keep().get()));

        assertFalse(blobs.exists(key));
        assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key = ?", key));
        assertNotNull(TestDb.string("select original_deleted_at from images where id = ?", id));
        JsonPath after = Api.as(user.apiKey()).get("/v1/images/" + id).then().statusCode(200).extract().jsonPath();
        assertFalse(after.getBoolean("original_stored"));
        assertEquals(image.getString("dhash"), after.getString("dhash"));
        assertEquals(image.getString("checksum"), after.getString("checksum"));
        assertEquals(image.getMap("metadata"), after.getMap("metadata"));
        assertEquals(List.of(id), similar(user.apiKey(), image), "duplicate search still finds it");
        // and it can still be deleted, with nothing left to delete in the store
        Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(204);
        assertNull(TestDb.string("select id from images where id = ?", id));
    }

    @Test
    void whetherAnyoneStillHasTheBytesIsAnIndexLookup() throws Exception {
        // forgetting a cache entry asks "does any image of anyone have this checksum": that must not scan images
        try (java.sql.Connection c = io.quarkus.arc.Arc.container().instance(io.agroal.api.AgroalDataSource.class)
                .get().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("set enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (java.sql.ResultSet rs = st.executeQuery("explain select 1 from images where checksum = 'x'")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertTrue(plan.toString().contains("Index Only Scan using images_checksum_user")
                    && plan.toString().contains("Index Cond: (checksum = "), plan.toString());
        }
    }

    @Test
    void retentionSettingIsADurationOrForever() {
        assertEquals(Duration.ZERO, OriginalRetention.parse("0").orElseThrow());
        assertEquals(Duration.ofHours(24), OriginalRetention.parse("24h").orElseThrow());
        assertTrue(OriginalRetention.parse("forever").isEmpty());
        assertTrue(OriginalRetention.parse(" Forever ").isEmpty());
    }

    static List<String> similar(String apiKey, JsonPath image) {
        return Api.as(apiKey).contentType("application/json")
                .body(Map.of("phash", image.getString("phash"), "dhash", image.getString("dhash"), "max_distance", 0))
                .post("/v1/duplicates/search").then().statusCode(200).extract().jsonPath().getList("similar.id");
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
