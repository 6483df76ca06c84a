package dev.exifq.cluster;

import dev.exifq.images.Image;
import dev.exifq.testing.Api;
import dev.exifq.testing.ApiReplicaProfile;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.JobRunrRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An api replica runs nothing itself: an accepted image waits in JobRunr's queue for a worker. */
@QuarkusTest
@TestProfile(ApiReplicaProfile.class)
class ApiRoleTest {
    @Inject
    DataSource dataSource;

    @Test
    void anUploadIsQueuedNotRunHere() throws Exception {
        String id = Api.asAdmin().multiPart("file", Corpus.image("exifsamples__jpg__Canon_40D.jpg").toFile())
                .multiPart("async", "true").post("/v1/images").then().statusCode(202).extract().path("id");
        // ENQUEUED at once for any replica's server (with a local worker it would be SCHEDULED as a backstop)
        assertEquals("ENQUEUED", JobRunrRows.state(dataSource, id));
        // past JobRunr's 5 s poll: a background server here would have taken it by now, a local worker at once
        Thread.sleep(6_000);
        assertEquals("ENQUEUED", JobRunrRows.state(dataSource, id));
        Api.asAdmin().get("/v1/images/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo(Image.QUEUED));
    }
}
