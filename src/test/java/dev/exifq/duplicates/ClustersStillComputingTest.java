package dev.exifq.duplicates;

import dev.exifq.testing.SwitchedOffProfile;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /v1/duplicates on a library whose clusters are not ready within the wait (here: no wait at all) answers
 * 202 with Retry-After, keeps computing, and serves the cached result to the request that comes back.
 */
@QuarkusTest
@TestProfile(SwitchedOffProfile.class)
class ClustersStillComputingTest {

    @Inject
    DataSource db;

    @Test
    void aSlowComputationAnswers202ThenTheResult() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        int n = 3000;
        long[] phash = new long[n];
        for (int i = 0; i < n; i++) {
            // pairs of near-identical hashes, pairs far apart from each other
            phash[i] = (0x9E37_79B9_7F4A_7C15L * (i / 2 + 1)) ^ (i % 2);
        }
        try (Connection c = db.getConnection()) {
            TestLibraries.insert(c, user.userId(), TestLibraries.orderedIds(n), phash, phash.clone());
        }

        Response first = given().header("Authorization", "Bearer " + user.apiKey()).get("/v1/duplicates");
        assertEquals(202, first.statusCode(), first.asString());
        assertEquals("5", first.header("Retry-After"));
        assertEquals(true, first.jsonPath().getBoolean("ok"));
        assertEquals("computing", first.jsonPath().getString("status"));
        assertEquals(5, first.jsonPath().getInt("retry_after"));

        Response done = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Response r = given().header("Authorization", "Bearer " + user.apiKey()).get("/v1/duplicates");
            if (r.statusCode() == 200) {
                done = r;
                break;
            }
            assertEquals(202, r.statusCode(), r.asString());
            Thread.sleep(50);
        }
        assertTrue(done != null, "the clusters were never served");
        assertEquals(n / 2, done.jsonPath().getInt("total_clusters"));
        assertEquals(n, done.jsonPath().getInt("total_images"));
    }
}
