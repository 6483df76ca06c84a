package dev.exifq.cluster;

import dev.exifq.testing.Api;
import dev.exifq.testing.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A worker answers its public port with JSON 404s and keeps health and metrics on the management port. */
@QuarkusTest
@TestProfile(WorkerRoleTest.Worker.class)
class WorkerRoleTest {
    public static class Worker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("exifq.role", "worker");
        }
    }

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void servesNoApi() {
        Api.asAdmin().get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q").then().statusCode(404)
                .body("ok", equalTo(false)).body("error", equalTo("not_found"))
                .body("message", containsString("exifq.role=worker"));
        RestAssured.given().contentType("application/json").body(Map.of("email", "a@b.c", "password", "x"))
                .post("/api/auth/sign-in/email").then().statusCode(404).body("error", equalTo("not_found"));
        RestAssured.get("/q/openapi").then().statusCode(404);
    }

    @Test
    void managementPortAnswers() {
        RestAssured.get(Management.url(management, "/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get(Management.url(management, "/q/metrics")).then().statusCode(200);
    }
}
