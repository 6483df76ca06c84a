package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.StrictIntakeProfile;
import dev.exifq.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without an allowlist, every private, loopback or metadata address is refused, however spelled. */
@QuarkusTest
@TestProfile(StrictIntakeProfile.class)
class UrlIngestWithoutAllowlistTest {

    @Test
    void ssrfTargetsAreRefused() throws Exception {
        try (TestServer server = new TestServer()) {
            String[] urls = {
                    server.url("/corpus/exiftool__Canon.jpg"),
                    "http://[::ffff:127.0.0.1]/", "http://2130706433/", "http://169.254.169.254/latest/meta-data/",
                    "http://0x7f.1/", "http://127.1/", "http://[::1]/", "http://0.0.0.0/", "http://localhost/",
                    "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.0.1/", "http://100.64.0.1/",
                    "http://[fd00::1]/", "http://[fe80::1]/", "http://[64:ff9b::7f00:1]/", "http://224.0.0.1/",
            };
            for (String url : urls) {
                Response r = Api.asAdmin().contentType("application/json").body(Map.of("url", url)).post("/v1/images");
                assertEquals(200, r.statusCode(), url + " " + r.asString());
                assertEquals("failed", r.path("status"), url + " " + r.asString());
                UrlIngestTest.assertFailedWith("url_not_allowed", r);
            }
            assertEquals(0, server.hits("/"), "the local server must never be contacted");
        }
    }
}
