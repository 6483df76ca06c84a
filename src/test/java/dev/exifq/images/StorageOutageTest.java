package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Object storage that cannot be reached when an upload arrives: the client gets a JSON 503 it can retry on, and
 * nothing of the attempt stays behind: no image row, no unit of the daily limit.
 */
@QuarkusTest
@TestProfile(StorageOutageTest.UnreachableS3.class)
class StorageOutageTest {

    public static class UnreachableS3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "exifq.storage.type", "s3",
                    "exifq.storage.s3.bucket", "exifq-unreachable",
                    "exifq.storage.s3.endpoint", "http://127.0.0.1:1", // nothing listens on port 1
                    "exifq.storage.s3.path-style", "true",
                    "exifq.storage.s3.access-key", "test",
                    "exifq.storage.s3.secret-key", "test-secret");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void uploadIsRefusedWith503AndLeavesNothingBehind() throws Exception {
        TestUsers.Created user = TestUsers.create("free");
        Api.as(user.apiKey()).multiPart("file", Corpus.image("exifsamples__jpg__Canon_40D.jpg").toFile())
                .post("/v1/images")
                .then().statusCode(503)
                .body("ok", equalTo(false))
                .body("error", equalTo("storage_unavailable"));

        assertEquals(0, count("select count(*) from images where user_id = ?", user.userId()));
        assertEquals(0, count("select count(*) from usage_reservations where user_id = ?", user.userId()));
        Api.as(user.apiKey()).get("/api/billing/status").then().statusCode(200).body("usage.today", equalTo(0));
    }

    private long count(String sql, long userId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
