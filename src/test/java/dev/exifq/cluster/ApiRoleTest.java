package dev.exifq.cluster;

import dev.exifq.images.Image;
import dev.exifq.jobs.QueueMetrics;
import dev.exifq.testing.Api;
import dev.exifq.testing.ApiReplicaProfile;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.JobRunrRows;
import dev.exifq.testing.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An api replica runs nothing itself: an accepted image waits in JobRunr's queue for a worker. */
@QuarkusTest
@TestProfile(ApiReplicaProfile.class)
class ApiRoleTest {
    @Inject
    DataSource dataSource;
    @Inject
    QueueMetrics queueMetrics;
    @TestHTTPResource(value = "/", management = true)
    URL management;

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

        // and the queue shows on the management port's metrics: at least this job, waiting for over 6 s
        queueMetrics.refresh();
        String metrics = io.restassured.RestAssured.get(Management.url(management, "/q/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metric(metrics, "exifq_jobs_queue_depth") >= 1, metrics);
        assertTrue(metric(metrics, "exifq_jobs_queue_oldest_age_seconds") >= 5, metrics);
        assertEquals(0, metric(metrics, "exifq_exiftool_pool_busy"));
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), name + " is not in /q/metrics");
        return Double.parseDouble(m.group(1));
    }
}
