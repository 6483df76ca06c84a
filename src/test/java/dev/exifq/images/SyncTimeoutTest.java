package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A synchronous request whose image is not done within exifq.sync-timeout: 202 with the image as it is then. */
@QuarkusTest
@TestProfile(SyncTimeoutTest.ShortSyncTimeout.class)
class SyncTimeoutTest {
    public static class ShortSyncTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a download of ten pieces 700 ms apart (7 s) may take its time, each wait under the 2 s read timeout
            return Map.of("exifq.sync-timeout", "1s", "exifq.ingest.fetch-timeout", "20s");
        }
    }

    private static final String IMAGE = "exifsamples__jpg__Canon_40D.jpg";
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void slowImageAnswers202WithItsCurrentStateThenFinishes() throws IOException {
        // a first request on the freshly started service, so start-up costs do not count against the timeout
        Api.asAdmin().multiPart("file", Corpus.image("exiftool__PNG.png").toFile()).post("/v1/images")
                .then().statusCode(anyOf(is(200), is(202)));
        long started = System.nanoTime();
        Response r = Api.asAdmin().contentType("application/json")
                .body(Map.of("url", server.url("/trickle/" + IMAGE + "?pause=700"), "async", false)).post("/v1/images");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(202, r.statusCode(), r.asString());
        assertTrue(seconds < 4, "answered after " + seconds + " s; the download alone takes 7 s");
        assertTrue(Set.of("queued", "processing").contains(r.<String>path("status")), r.asString());
        String id = r.path("id");
        assertEquals("/v1/images/" + id, r.header("Location"));

        Response done = CorpusIngestTest.poll(id);
        assertEquals("processed", done.path("status"), done.asString());
        assertEquals(Corpus.expectedMetadata(IMAGE), Corpus.EXACT.readTree(done.asString()).get("metadata"));
    }
}
