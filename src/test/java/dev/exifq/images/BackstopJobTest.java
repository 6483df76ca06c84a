package dev.exifq.images;

import dev.exifq.platform.Ulid;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.JobRunrRows;
import dev.exifq.testing.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When this node starts an image itself, the image has no JobRunr job at all (its row is the record; a node that
 * dies leaves it to StaleImageSweeper: StaleImageSweeperTest); when the node is busy, the image joins a group of
 * surplus images whose one job any replica may run, and also waits here for a local worker; the group's job is
 * deleted once local workers have claimed all of its images before JobRunr took it.
 * One local worker and a local queue of one make "busy" easy to reach; JobRunr's server is off in this profile,
 * so every image that finishes was run here (JobRunr running enqueued images: StaleImageSweeperTest,
 * UrlIngestTest's retries).
 */
@QuarkusTest
@TestProfile(BackstopJobTest.OneLocalWorker.class)
class BackstopJobTest {
    @TempDir
    Path tmp;

    public static class OneLocalWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // groups of two, written as soon as two images have joined: the burst below makes several, each job
            // written while the single worker is still busy; a URL run downloads on the worker's own thread
            return Map.of("exifq.ingest.local-workers", "1", "exifq.ingest.local-queue", "1",
                    "exifq.jobs.server-enabled", "false", "exifq.ingest.surplus-group", "2",
                    "exifq.ingest.surplus-window", "1s", "exifq.ingest.fetch-backlog", "0");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Inject
    ProcessImagesJobHandler groupJobs;

    @Inject
    LocalWorkers localWorkers;

    @Inject
    ImageProcessor processor;

    @Test
    void imageStartedHereHasNoJob() throws Exception {
        Response r = Api.asAdmin().multiPart("file", uniqueJpeg().toFile()).multiPart("async", "true")
                .post("/v1/images");
        assertEquals(202, r.statusCode(), r.asString());
        String id = r.path("id");
        assertEquals("none", jobState(id), "job state right after the POST");
        awaitProcessed(List.of(id));
        // with JobRunr's server off nothing could have run and removed a job, and the run deletes none it was not given
        assertEquals("none", jobState(id), "no job was written for a run on the accepting node");
    }

    @Test
    void imagesBeyondTheLocalCapacityAreEnqueuedAndStillRunHereWhenWorkersFreeUp() throws Exception {
        // eight 12 Mpx photos at once: a run takes long enough that the uploads arrive while both places are taken
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add(uniqueCopy("exifsamples__jpg__tests__42_IndexError.jpg"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(files.size());
        List<Future<String[]>> posts = new ArrayList<>();
        for (Path f : files) {
            posts.add(pool.submit(() -> {
                Response r = Api.asAdmin().multiPart("file", f.toFile()).multiPart("async", "true").post("/v1/images");
                assertEquals(202, r.statusCode(), r.asString());
                String id = r.path("id");
                return new String[] {id, jobState(id)};
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String[]> post : posts) {
            String[] idAndState = post.get();
            ids.add(idAndState[0]);
            assertEquals("none", idAndState[1], "a surplus image has no job of its own");
        }
        pool.shutdown();
        Map<String, List<String>> groups = awaitGroups(ids);
        int grouped = groups.values().stream().mapToInt(List::size).sum();
        assertTrue(grouped > groups.size(), "no job for several surplus images: " + groups);
        awaitProcessed(ids); // with JobRunr's server off, only this node's workers can have run them
        assertGroupJobsDropped(groups);
    }

    /**
     * The group jobs that surplus images among {@code ids} were written into, by job id, once every group's window
     * has closed; at least one image found the node busy. A surplus image a local worker claims before its group's
     * job is written is left out of it.
     */
    private Map<String, List<String>> awaitGroups(List<String> ids) throws Exception {
        Thread.sleep(1_500); // the window (1 s) from a group's first image
        Map<String, List<String>> groups = new java.util.TreeMap<>();
        for (String id : ids) {
            String group = groupJob(id);
            if (group != null) {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(id);
            }
        }
        assertTrue(surplus() - surplusBefore >= 1, "no image found the node busy");
        assertEquals(groups.size(), (int) (jobsEnqueued(ProcessImagesJob.class) - groupJobsBefore),
                "a job written per group: " + groups);
        return groups;
    }

    /**
     * With JobRunr's server off nothing but this node's workers ran the images; a group whose images they all claimed
     * has had its waiting job deleted. Nothing else could have removed it.
     */
    private void assertGroupJobsDropped(Map<String, List<String>> groups) throws Exception {
        for (var group : groups.entrySet()) {
            assertEquals("none", JobRunrRows.stateOfJob(dataSource, group.getKey()), "the job of " + group.getValue()
                    + ", every image of which a local worker claimed");
            for (String id : group.getValue()) {
                assertEquals("none", jobState(id), id + " has no job of its own");
            }
        }
    }

    private double groupJobsBefore;
    private double surplusBefore;

    @org.junit.jupiter.api.BeforeEach
    void countGroupJobs() {
        groupJobsBefore = jobsEnqueued(ProcessImagesJob.class);
        surplusBefore = surplus();
    }

    private double surplus() {
        var counter = meters.find("exifq.ingest.surplus").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The image's group job id, or null. */
    private static String groupJob(String imageId) {
        return TestDb.string("select job_id::text from images where id = ?", imageId);
    }

    @Test
    void urlImagesBeyondTheLocalCapacityLeaveNoJobOnceRunHere() throws Exception {
        // a URL run hands its download to the fetch stage and resumes on a worker later; a local run deletes the
        // job once it holds the claim, which for a URL image is within milliseconds of the POST, so whether the
        // node was busy is read from the jobs created, not from a job still waiting
        try (dev.exifq.testing.TestServer server = new dev.exifq.testing.TestServer()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> posts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String url = server.url("/corpus/exifsamples__jpg__tests__42_IndexError.jpg?copy=" + i);
                posts.add(pool.submit(() -> {
                    Response r = Api.asAdmin().contentType("application/json")
                            .body(Map.of("url", url, "async", true)).post("/v1/images");
                    assertEquals(202, r.statusCode(), r.asString());
                    return r.<String>path("id");
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> post : posts) {
                ids.add(post.get());
            }
            pool.shutdown();
            Map<String, List<String>> groups = awaitGroups(ids);
            awaitProcessed(ids); // with JobRunr's server off, only this node's workers can have run them
            assertGroupJobsDropped(groups);
        }
    }

    @Test
    void imagesTheGroupsJobRanHereAreNotClaimedAgainFromTheOverflow() throws Exception {
        try (dev.exifq.testing.TestServer server = new dev.exifq.testing.TestServer()) {
            // the single worker downloads a trickling URL on its own thread (about 3 s), the next upload waits in the
            // local queue, and the two after it are surplus: one group, its job written as the second joins
            Response r = Api.asAdmin().contentType("application/json").body(Map.of("url",
                    server.url("/trickle/exiftool__Canon.jpg?pause=300"), "async", true)).post("/v1/images");
            String slow = r.path("id");
            long deadline = System.currentTimeMillis() + 5_000;
            while (!processor.running(slow) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(processor.running(slow), "the worker runs the slow download");
            List<String> ids = new ArrayList<>(List.of(slow));
            for (int i = 0; i < 3; i++) {
                ids.add(Api.asAdmin().multiPart("file", uniqueJpeg().toFile()).multiPart("async", "true")
                        .post("/v1/images").then().statusCode(202).extract().<String>path("id"));
            }
            List<String> surplus = ids.subList(2, 4);
            String group = groupJob(surplus.get(0));
            assertTrue(group != null && group.equals(groupJob(surplus.get(1))), "one group for both: " + group);
            long skippedBefore = localWorkers.skippedForJobsSoFar();

            groupJobs.run(new ProcessImagesJob(surplus)); // as this node's JobRunr would, the worker still busy

            for (String id : surplus) {
                assertEquals("processed", Api.asAdmin().get("/v1/images/" + id).path("status"), id);
            }
            awaitProcessed(ids);
            assertEquals(2, localWorkers.skippedForJobsSoFar() - skippedBefore,
                    "the overflow left both to the group's job instead of trying their claims");
            assertEquals(1, TestDb.count("select attempts from images where id = ?", surplus.get(0)));
            TestDb.update("delete from jobrunr_jobs where id = ?", group); // never to run: the server is off here
        }
    }

    private double jobsEnqueued(Class<?> job) {
        String kind = job == ProcessImagesJob.class ? "process_images" : ProcessImageJob.KIND;
        var counter = meters.find("exifq.jobs.enqueued").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitProcessed(List<String> ids) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        for (String id : ids) {
            String status;
            do {
                status = Api.asAdmin().get("/v1/images/" + id).path("status");
                if (!status.equals("processed")) {
                    Thread.sleep(100);
                }
            } while (!status.equals("processed") && System.currentTimeMillis() < deadline);
            assertEquals("processed", status, id);
        }
    }

    private String jobState(String imageId) throws Exception {
        return JobRunrRows.state(dataSource, imageId);
    }

    private Path uniqueJpeg() throws Exception {
        return uniqueCopy("exifsamples__jpg__orientation__portrait_7.jpg");
    }

    /** A corpus file with a unique trailer, so the extraction cache cannot answer for it. */
    private Path uniqueCopy(String corpusFile) throws Exception {
        Path image = Files.createTempFile(tmp, "backstop", ".jpg");
        Files.write(image, Files.readAllBytes(Corpus.image(corpusFile)));
        Files.write(image, Ulid.next().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        return image;
    }
}
