package dev.exifq.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.RawHttp;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the packaged jar through scripts/start, as scripts/run does, and processes an image through it. */
class PackagedJarIT {

    @Test
    // kept when the test fails: the server's log and data are what tells why
    void packagedJarProcessesAnImage(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDir) throws Exception {
        Path project = Path.of(System.getProperty("exifq.project-dir", ".")).toAbsolutePath();
        Path log = dataDir.resolve("server.log");
        int port = freePort();
        int managementPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(project.resolve("scripts/start").toString())
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("EXIFQ_DATA_DIR", dataDir.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("EXIFQ_MANAGEMENT_PORT", String.valueOf(managementPort));
        pb.environment().remove("EXIFQ_BOOTSTRAP_ADMIN_API_KEY");
        Process process = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            String management = "http://127.0.0.1:" + managementPort;
            waitUntilReady(management, process, log);
            String key = Files.readString(dataDir.resolve("admin-api-key")).trim();
            assertTrue(key.startsWith("exq_"));
            assertTrue(Files.isRegularFile(dataDir.resolve("postgres/PG_VERSION")),
                    "the jar must start its own PostgreSQL in the data dir");

            Path image = Corpus.image("exifsamples__jpg__Canon_40D.jpg");
            Response r = RestAssured.given().baseUri(base).header("Authorization", "Bearer " + key)
                    .multiPart("file", image.toFile()).post("/v1/images");
            assertEquals(200, r.statusCode(), r.asString());
            JsonNode body = Corpus.EXACT.readTree(r.asString());
            assertEquals("processed", body.path("status").asText());
            assertEquals(Corpus.expectedMetadata(image.getFileName().toString()), body.get("metadata"));

            Response health = RestAssured.given().baseUri(management).get("/q/health/ready");
            assertEquals(200, health.statusCode(), health.asString());
            assertTrue(health.asString().contains("13.59"), health.asString());
            assertEquals(404, RestAssured.given().baseUri(base).get("/q/health/ready").statusCode(),
                    "health is on the management port only");

            // the jar's entry point (Main) leaves the URL check to our guard, which answers in JSON
            RawHttp.Answer malformed = RawHttp.send(port, "GET /v1/images/%zz HTTP/1.1", "Authorization: Bearer " + key);
            assertEquals(400, malformed.status(), malformed.head());
            assertEquals("bad_request", Corpus.EXACT.readTree(malformed.body()).path("error").asText(), malformed.body());

            // a user's password and session JWT, to look for in the log below
            String password = "packaged-jar-password-" + port;
            Response signUp = RestAssured.given().baseUri(base).contentType("application/json")
                    .body(java.util.Map.of("email", "it" + port + "@exifq.test", "password", password, "name", "IT"))
                    .post("/api/auth/sign-up/email");
            assertEquals(201, signUp.statusCode(), signUp.asString());
            String jwt = signUp.path("token");
            assertEquals(200, RestAssured.given().baseUri(base).header("Authorization", "Bearer " + jwt)
                    .get("/api/auth/session").statusCode());
            RestAssured.given().baseUri(base).header("Authorization", "Bearer " + key + "x").get("/v1/images/x");

            process.destroy(); // SIGTERM, as Kubernetes stops a pod
            assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the server stops on SIGTERM");
            assertEquals(0, process.exitValue(), "SIGTERM is an orderly stop (Main's handler), not exit 143");
            java.util.List<String> lines = Files.readAllLines(log);
            assertTrue(lines.stream().anyMatch(l -> l.contains("Shutdown: work drained")), "GracefulShutdown ran");
            assertTrue(lines.stream().anyMatch(l -> l.contains("admin-api-key")), "scripts/start says where the key is");
            assertEquals(java.util.List.of(), dev.exifq.accounts.SecretsStayOutOfLogsTest.leaks(lines,
                    java.util.List.of(key, password, jwt)), "secrets in the server's log " + log);
        } finally {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void waitUntilReady(String management, Process process, Path log) throws Exception {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(log));
            }
            try {
                if (RestAssured.given().baseUri(management).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // connection refused while starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("server not ready in time: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
