package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.GiantPng;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20, item 5 end to end: eight 1 MB PNGs declaring 12,200 x 12,200 16-bit RGBA pixels, uploaded at once
 * (half sync, half async), once held all eight local workers until their hashing deadline, so a normal JPEG
 * uploaded meanwhile waited for them. They now go to the large-image lane.
 */
@QuarkusTest
@TestProfile(LargeImageLaneTest.ShortHashingDeadline.class)
class LargeImageLaneTest {
    public static class ShortHashingDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("exifq.hashing.deadline", DEADLINE_SECONDS + "s");
        }
    }

    /** Long enough that a JPEG queued behind the giants (as before the lane) would clearly wait for it. */
    private static final int DEADLINE_SECONDS = 6;
    private static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";

    @TempDir
    Path dir;

    @Test
    void eightGiantPngsLeaveRoomForANormalJpegAndEndAtTheirDeadline() throws Exception {
        // what a sync upload of the JPEG takes here without the giants (after start-up costs). The bound is the
        // issue's 1 s; only on a machine so loaded that the JPEG alone takes over a third of that (builds sharing
        // two cores at load averages of 20) does it grow to three times the unloaded time. Quiet, three runs here:
        // 129-152 ms beside the giants, 139-159 ms without
        long unloaded = 0;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            Api.asAdmin().multiPart("file", Corpus.image(JPEG).toFile()).post("/v1/images").then().statusCode(200);
            unloaded = i == 0 ? 0 : Math.max(unloaded, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
        }

        Path giant = dir.resolve("giant.png");
        GiantPng.write(giant, 12_200, 12_200);
        byte[] png = Files.readAllBytes(giant);
        List<Path> giants = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // other checksums, so that none reuses another's extraction
            giants.add(Files.write(dir.resolve("giant-" + i + ".png"), GiantPng.withText(png, "copy " + i)));
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Response>> uploads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Path file = giants.get(i);
                boolean async = i % 2 == 0;
                uploads.add(CompletableFuture.supplyAsync(() -> Api.asAdmin().multiPart("file", file.toFile())
                        .multiPart("async", String.valueOf(async)).post("/v1/images"), clients));
            }
            // all eight accepted and started: the async ones have answered (the sync ones were accepted alike), so
            // the JPEG below competes with their hashing, not with their uploads
            for (int i = 0; i < 8; i += 2) {
                assertEquals(202, uploads.get(i).get(30, TimeUnit.SECONDS).statusCode());
            }
            Thread.sleep(500);

            long jpegStart = System.nanoTime();
            Response jpeg = Api.asAdmin().multiPart("file", Corpus.image(JPEG).toFile()).post("/v1/images");
            long jpegMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - jpegStart);
            assertEquals(200, jpeg.statusCode(), jpeg.asString());
            assertEquals("processed", jpeg.path("status"), jpeg.asString());
            assertNotNull(jpeg.path("phash"), jpeg.asString());
            long jpegBound = Math.max(1000, 3 * unloaded);
            assertTrue(jpegMillis < jpegBound, "a normal JPEG took " + jpegMillis + " ms beside eight giant PNGs, "
                    + unloaded + " ms without (bound " + jpegBound + " ms)");

            for (CompletableFuture<Response> upload : uploads) {
                Response accepted = upload.get(30, TimeUnit.SECONDS);
                assertTrue(accepted.statusCode() == 200 || accepted.statusCode() == 202, accepted.asString());
                Response done = CorpusIngestTest.poll(accepted.path("id"));
                assertEquals("processed", done.path("status"), done.asString());
                assertEquals(12_200, done.<Integer>path("width"), done.asString());
                // hashed, or given up at the deadline: a one-pass decode of 149 Mpx of 16-bit RGBA (PngBands) takes
                // about the deadline on one core, so the first giant to get the lane's slot may finish on a fast machine
                assertTrue(done.path("phash") != null
                        || String.valueOf(done.<String>path("hash_error")).contains("took longer"), done.asString());
                // accepted (created_at) to finished: the deadline starts at the hand-over, just after the claim; then
                // what is left is a normal image's work (ExifTool, the result), the eight sharing the ExifTool
                // processes; the times are whole seconds
                long took = Duration.between(Instant.parse(done.<String>path("created_at").replace(" UTC", "Z").replace(' ', 'T')),
                        Instant.parse(done.<String>path("completed_at").replace(" UTC", "Z").replace(' ', 'T'))).toMillis();
                long bound = (DEADLINE_SECONDS + 2) * 1000L + 8 * unloaded;
                assertTrue(took < bound, "a giant PNG took " + took + " ms from acceptance, more than " + bound);
            }
            // memory: HashingBoundsTest hashes eight of these in a JVM of its own and bounds its peak resident set;
            // this JVM's holds whatever the suite's earlier tests grew its heap to
        } finally {
            clients.shutdownNow();
        }
    }
}
