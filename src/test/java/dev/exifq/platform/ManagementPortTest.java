package dev.exifq.platform;

import dev.exifq.testing.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Health and metrics answer on the management port only; the OpenAPI document stays on the public one. */
@QuarkusTest
class ManagementPortTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void healthAndMetricsAreOnTheManagementPort() {
        assertNotEquals(RestAssured.port, management.getPort(), "the management interface has its own port");
        RestAssured.get(Management.url(management, "/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get(Management.url(management, "/q/health/live")).then().statusCode(200);
        RestAssured.get(Management.url(management, "/q/health/started")).then().statusCode(200);
        RestAssured.get(Management.url(management, "/q/metrics")).then().statusCode(200).body(containsString("jvm_memory_used_bytes"))
                .body(containsString("exifq_exiftool_pool_size ")).body(containsString("exifq_exiftool_pool_restarts_total "))
                .body(containsString("exifq_jobs_queue_depth ")).body(containsString("exifq_jobs_queue_oldest_age_seconds "));
    }

    @Test
    void notOnThePublicPort() {
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics"}) {
            RestAssured.get(path).then().statusCode(404).body("ok", equalTo(false));
        }
        RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("exifq API"));
    }
}
