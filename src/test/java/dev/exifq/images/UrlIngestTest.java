package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URL ingest against a misbehaving local server; 127.0.0.0/8 is allowlisted in the test profile. */
@QuarkusTest
class UrlIngestTest {
    private static final String JPEG = "exiftool__Canon.jpg";
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Response submitSync(String url) {
        return Api.asAdmin().contentType("application/json").body(Map.of("url", url)).post("/v1/images");
    }

    @Test
    void followsRedirectsAndRecordsFinalUrl() {
        Response r = submitSync(server.url("/redirect/3/" + JPEG));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("processed", r.path("status"));
        assertEquals(server.url("/redirect/3/" + JPEG), r.path("url"));
        assertEquals(server.url("/corpus/" + JPEG), r.path("final_url"));
        // the stored original is the row's, and the outbox row that would have deleted it in an hour is gone
        String id = r.path("id");
        String key = dev.exifq.testing.TestDb.string("select blob_key from images where id = ?", id);
        assertTrue(key != null && key.startsWith("originals/" + id), key);
        assertEquals(0, dev.exifq.testing.TestDb.count("select count(*) from blob_deletions where blob_key = ?", key));
    }

    @Test
    void filenameFromContentDisposition() {
        Response r = submitSync(server.url("/named/" + JPEG));
        assertEquals("processed", r.path("status"), r.asString());
        assertEquals("from-header.jpg", r.path("filename"));
    }

    @Test
    void moreThanFiveRedirectsFail() {
        Response r = submitSync(server.url("/redirect/6/" + JPEG));
        assertEquals(200, r.statusCode());
        assertEquals("failed", r.path("status"));
        assertFailedWith("too_many_redirects", r);
    }

    @Test
    void redirectLoopFails() {
        Response r = submitSync(server.url("/loop"));
        assertEquals("failed", r.path("status"), r.asString());
        assertFailedWith("too_many_redirects", r);
    }

    @Test
    void redirectToMetadataAddressIsRefused() {
        Response r = submitSync(server.url("/to?url=http://169.254.169.254/latest/meta-data/"));
        assertEquals("failed", r.path("status"), r.asString());
        assertFailedWith("url_not_allowed", r);
        assertFailedWith("url_not_allowed", submitSync(server.url("/to?url=http://10.0.0.1/x.jpg")));
    }

    @Test
    void metadataAddressIsRefusedEvenWithAllowlist() {
        Response r = submitSync("http://169.254.169.254/latest/meta-data/");
        assertEquals("failed", r.path("status"), r.asString());
        assertFailedWith("url_not_allowed", r);
    }

    @Test
    void notFoundFailsAtOnce() {
        Response r = submitSync(server.url("/status/404"));
        assertEquals("failed", r.path("status"), r.asString());
        assertFailedWith("url_not_found", r);
        assertTrue(((String) r.path("error")).contains("404"), r.asString());
    }

    @Test
    void overSizeBodyFails() {
        for (String path : new String[]{"/big", "/bigchunked"}) {
            Response r = submitSync(server.url(path));
            assertEquals("failed", r.path("status"), r.asString());
            assertFailedWith("file_too_large", r);
        }
    }

    @Test
    void textServedAsJpegIsNotAnImage() {
        Response r = submitSync(server.url("/text"));
        assertEquals("failed", r.path("status"), r.asString());
        assertFailedWith("not_an_image", r);
    }

    @Test
    void slowServerTimesOut() {
        Response r = submitSync(server.url("/slow"));
        assertEquals("failed", r.path("status"), r.asString());
        assertFailedWith("timeout", r);
    }

    /** Programs branch on error_code; error is the message for people. */
    static void assertFailedWith(String code, Response r) {
        assertEquals("failed", r.path("status"), r.asString());
        assertEquals(code, r.path("error_code"), r.asString());
        assertTrue(r.path("error") instanceof String message && !message.isBlank(), r.asString());
    }

    @Test
    void transientFailureIsRetried() {
        Response r = submitSync(server.url("/flaky/" + JPEG));
        assertEquals("processed", r.path("status"), r.asString());
        assertEquals(2, server.hits("/flaky/"));
    }
}
