package dev.exifq.cluster;

import dev.exifq.testing.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A worker opens no public port at all and keeps health and metrics on the management port. */
@QuarkusTest
@TestProfile(WorkerRoleTest.Worker.class)
class WorkerRoleTest {
    public static class Worker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a fixed, free port where the public server would listen, so the test can knock on it
            return Map.of("exifq.role", "worker", "quarkus.http.test-port", String.valueOf(freePort()));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int publicPort;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void opensNoPublicPort() {
        // nothing listens where the public port would be: a connection is refused, not answered
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", publicPort), 2_000);
            }
        });
    }

    @Test
    void managementPortAnswers() {
        assertNotEquals(publicPort, management.getPort());
        assertNotEquals(0, publicPort);
        RestAssured.get(Management.url(management, "/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get(Management.url(management, "/q/metrics")).then().statusCode(200);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
