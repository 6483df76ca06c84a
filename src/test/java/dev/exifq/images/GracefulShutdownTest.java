package dev.exifq.images;

import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.JobRunrRows;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shutdown path SIGTERM takes (GracefulShutdown's ShutdownEvent observer calls {@code drain} with
 * {@code exifq.shutdown.grace}): an image that finishes within the grace is finished here, one that does not is given
 * back at once (queued, no claim, its JobRunr job enqueued) and then processed once by the next JobRunr poll, here
 * standing in for another replica's; the first run, still fetching when it was given back, writes nothing.
 */
@QuarkusTest
class GracefulShutdownTest {
    private static final String JPEG = "exiftool__Canon.jpg";

    @Inject
    GracefulShutdown shutdown;
    @Inject
    ImageProcessor processor;
    @Inject
    DataSource dataSource;
    @Inject
    BlobStore blobs;

    @Test
    void unfinishedImagesAreGivenBackAtOnceAndRunOnceElsewhere() throws Exception {
        // ExifTool and the code paths warm, so the timings below are the runs' and not a cold start's
        Api.asAdmin().multiPart("file", Corpus.image("exifsamples__jpg__Canon_40D.jpg").toFile()).post("/v1/images")
                .then().statusCode(200);
        try (TestServer server = new TestServer()) {
            // ten pieces 100 ms apart: about 1 s, well within the grace
            String quick = submit(server.url("/trickle/" + JPEG + "?pause=100"));
            waitFor(() -> processor.running(quick), Duration.ofSeconds(5), "the quick run to start");
            // ten pieces 500 ms apart: 5 s, past the grace (and within the tests' 6 s fetch timeout); a second fetch
            // gets the file at once
            String slow = submit(server.url("/slow-once/" + JPEG + "?pause=500"));
            waitFor(() -> processor.running(slow), Duration.ofSeconds(5), "the slow run to start");

            long start = System.nanoTime();
            List<String> released;
            String during;
            try {
                released = shutdown.drain(Duration.ofMillis(2500));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(List.of(slow), released, "only the unfinished image is given back");
                assertTrue(tookMillis < 4_000, "the drain waits the grace, not the slow fetch: " + tookMillis + " ms");

                assertEquals("processed", status(quick), "the image that finished within the grace");
                assertEquals("queued", status(slow));
                assertEquals(0, TestDb.count("select count(*) from images where id = ? and (claimed_by is not null "
                        + "or claim_expires_at is not null)", slow), "the claim is cleared, not left to lapse");
                assertEquals("ENQUEUED", JobRunrRows.state(dataSource, slow), "any replica's next poll takes it");

                // a draining node starts nothing it accepts: the image goes to the queue for the others at once,
                // in a job written without waiting for a group's window
                during = submit(server.url("/corpus/" + JPEG));
                assertEquals("queued", status(during));
                String job = TestDb.string("select job_id::text from images where id = ?", during);
                assertEquals("ENQUEUED", job == null ? "none" : JobRunrRows.stateOfJob(dataSource, job));
            } finally {
                shutdown.resume();
            }

            // this node's JobRunr, taking work again, stands in for another replica polling the same queue
            waitFor(() -> "processed".equals(status(slow)) && "processed".equals(status(during)), Duration.ofSeconds(20),
                    "the given-back images to be processed from the queue");
            assertEquals(2, TestDb.count("select attempts from images where id = ?", slow), "claimed twice: here, then by the job");
            String completedAt = TestDb.string("select completed_at::text from images where id = ?", slow);

            // the first run's fetch ends at most 5 s after the drain began; it must write nothing over the second's
            // result, nor delete the original the second run stored under the same key
            Thread.sleep(Math.max(0, 6_500 - (System.nanoTime() - start) / 1_000_000));
            assertEquals(completedAt, TestDb.string("select completed_at::text from images where id = ?", slow));
            assertEquals(2, TestDb.count("select attempts from images where id = ?", slow));
            assertEquals(2, server.hits("/slow-once/"), "fetched by the given-back run and by the job, nobody else");
            String blobKey = TestDb.string("select blob_key from images where id = ?", slow);
            assertTrue(blobs.exists(blobKey), "the original of the processed image is still stored");
        }
    }

    private static String submit(String url) {
        return Api.asAdmin().contentType("application/json").body(Map.of("url", url, "async", true))
                .post("/v1/images").then().statusCode(202).extract().path("id");
    }

    private static String status(String id) {
        return TestDb.string("select status from images where id = ?", id);
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
