package dev.exifq.images;

import dev.exifq.platform.Ulid;
import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.JobRunrRows;
import dev.exifq.testing.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jobrunr.scheduling.BackgroundJobRequest;
import org.jobrunr.scheduling.JobBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sweeper gives a new job to an unfinished image that no job will run, and leaves alone one whose job is
 * still waiting (a long backlog) instead of doubling JobRunr's work. Rows are written here the way a node
 * that died after accepting them would leave them: queued, untouched for minutes.
 */
@QuarkusTest
class StaleImageSweeperTest {
    @Inject
    StaleImageSweeper sweeper;
    @Inject
    BlobStore blobs;
    @Inject
    DataSource dataSource;
    @TempDir
    Path tmp;

    @Test
    void queuedImageWithoutAJobGetsOneAndIsProcessed() throws Exception {
        String id = abandonedImage();
        assertEquals("none", jobState(id));

        sweeper.sweep();

        assertEquals(1, jobsMentioning(id));
        awaitStatus(id, "processed");
    }

    @Test
    void runWhoseNodeDiedIsTakenOverWhenItsLeaseLapses() throws Exception {
        // a node that ran the image itself (no job) and died mid-run: processing, claimed, the lease just lapsed
        String id = abandonedImage();
        runningOn(id, "dead-node", "- interval '1 second'");
        assertEquals("none", jobState(id));

        sweeper.sweep();

        assertEquals(1, jobsMentioning(id));
        awaitStatus(id, "processed");
    }

    @Test
    void runWhoseLeaseHoldsIsLeftAlone() throws Exception {
        String id = abandonedImage();
        runningOn(id, "live-node", "+ interval '1 minute'");

        sweeper.sweep();

        assertEquals("none", jobState(id), "a run still holding its lease gets no second runner");
        execute("update images set status = 'failed', error_code = 'test', claimed_by = null where id = '" + id + "'");
    }

    @Test
    void queuedImageWhoseJobEndedGetsItBack() throws Exception {
        String id = abandonedImage();
        scheduleJob(id);
        BackgroundJobRequest.delete(Ulid.toUuid(id));
        assertEquals("DELETED", jobState(id));

        sweeper.sweep();

        assertEquals(1, jobsMentioning(id), "the ended job is replaced, under the same id");
        awaitStatus(id, "processed");
    }

    @Test
    void queuedImageWhoseJobStillWaitsIsLeftToIt() throws Exception {
        String id = abandonedImage();
        scheduleJob(id);

        sweeper.sweep();

        assertEquals("SCHEDULED", jobState(id));
        assertEquals(1, jobsMentioning(id), "no second job for an image whose job is still waiting");
        assertEquals("queued", status(id));
        execute("delete from jobrunr_jobs where id = '" + Ulid.toUuid(id) + "'");
        execute("update images set status = 'failed', error_code = 'test' where id = '" + id + "'");
    }

    @Test
    void groupJobRunsItsUnfinishedImagesAndTakesOverOneWhoseRunDied() throws Exception {
        String a = abandonedImage();
        String b = abandonedImage();
        String held = abandonedImage();
        runningOn(held, "dying-node", "+ interval '3 seconds'"); // its lease lapses while the group runs
        String ended = abandonedImage();
        execute("update images set status = 'failed', error_code = 'test' where id = '" + ended + "'");
        UUID group = groupJob(List.of(a, b, held, ended), null);

        awaitStatus(a, "processed");
        awaitStatus(b, "processed");
        awaitStatus(held, "processed");
        awaitJobState(group, "SUCCEEDED");
        assertEquals("failed", status(ended), "a finished image is not run again");
        assertEquals(0, attempts(ended));
        assertEquals(2, attempts(held), "the dead run's claim, then the group's");
        for (String id : List.of(a, b, held)) {
            assertEquals(1, jobsMentioning(id), id + ": the group's job only");
            assertEquals("none", jobState(id));
        }
    }

    @Test
    void queuedImageWhoseGroupJobStillWaitsIsLeftToIt() throws Exception {
        String id = abandonedImage();
        UUID group = groupJob(List.of(id), Duration.ofHours(1));

        sweeper.sweep();

        assertEquals("none", jobState(id), "no job of its own while its group's waits");
        assertEquals("queued", status(id));
        execute("delete from jobrunr_jobs where id = '" + group + "'");
        execute("update images set status = 'failed', error_code = 'test' where id = '" + id + "'");
    }

    @Test
    void queuedImageWhoseGroupJobEndedGetsAJobOfItsOwn() throws Exception {
        String id = abandonedImage();
        UUID group = groupJob(List.of(id), Duration.ofHours(1));
        BackgroundJobRequest.delete(group);
        assertEquals("DELETED", JobRunrRows.stateOfJob(dataSource, group.toString()));

        sweeper.sweep();

        assertEquals(2, jobsMentioning(id), "the ended group's job, and one of its own");
        awaitStatus(id, "processed");
    }

    /** A group's job for {@code ids} as SurplusJobs writes it (rows linked first), waiting {@code in} or enqueued. */
    private UUID groupJob(List<String> ids, Duration in) throws Exception {
        UUID job = UUID.randomUUID();
        execute("update images set job_id = '" + job + "' where id in ('" + String.join("', '", ids) + "')");
        JobBuilder builder = JobBuilder.aJob().withId(job).withJobRequest(new ProcessImagesJob(ids));
        BackgroundJobRequest.create(in == null ? builder : builder.scheduleIn(in));
        return job;
    }

    private void awaitJobState(UUID job, String wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String state = JobRunrRows.stateOfJob(dataSource, job.toString());
        while (!state.equals(wanted) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            state = JobRunrRows.stateOfJob(dataSource, job.toString());
        }
        assertEquals(wanted, state, "job " + job);
    }

    private static long attempts(String id) {
        return TestDb.count("select attempts from images where id = ?", id);
    }

    /** The image as a run on {@code node} holds it, its lease ending at now() {@code leaseFromNow}. */
    private void runningOn(String id, String node, String leaseFromNow) throws Exception {
        execute("update images set status = 'processing', claimed_by = '" + node + "', attempts = 1, claim_expires_at = now() "
                + leaseFromNow + ", updated_at = now() where id = '" + id + "'");
    }

    /** A job for the image, waiting an hour (as a backlog's would). */
    private static void scheduleJob(String id) {
        BackgroundJobRequest.create(JobBuilder.aJob().withId(Ulid.toUuid(id)).withJobRequest(new ProcessImageJob(id))
                .scheduleIn(Duration.ofHours(1)));
    }

    /** A stored upload whose row has sat queued for ten minutes, as a node that died after accepting it leaves it. */
    private String abandonedImage() throws Exception {
        String id = Ulid.next();
        Path file = Files.createTempFile(tmp, "sweep", ".jpg");
        Files.write(file, Files.readAllBytes(Corpus.image("exifsamples__jpg__orientation__portrait_7.jpg")));
        Files.write(file, id.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        long size = Files.size(file);
        String key = OriginalKeys.of(id, ImageSniffer.sniff(file));
        blobs.put(key, file, null); // may move the file
        execute("""
                insert into images (id, user_id, status, filename, blob_key, bytesize, attempts, cached,
                                    created_at, updated_at)
                select '%s', id, 'queued', 'abandoned.jpg', '%s', %d, 0, false,
                       now() - interval '10 minutes', now() - interval '10 minutes'
                  from users where email = 'admin@exifq.test'""".formatted(id, key, size));
        return id;
    }

    private void awaitStatus(String id, String wanted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 40_000; // JobRunr polls every 5 s; a lease may have to lapse
        String status = status(id);
        while (!status.equals(wanted) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = status(id);
        }
        assertEquals(wanted, status, id);
    }

    private static String status(String id) {
        return Api.asAdmin().get("/v1/images/" + id).then().statusCode(200).extract().path("status");
    }

    private String jobState(String imageId) throws Exception {
        return JobRunrRows.state(dataSource, imageId);
    }

    private int jobsMentioning(String imageId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from jobrunr_jobs where jobasjson like ?")) {
            ps.setString(1, "%" + imageId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
