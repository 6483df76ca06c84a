package dev.exifq.images;

import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What SIGTERM does to a replica's work (Kubernetes sends it when a pod is scaled down or rolled): take no new image
 * (JobRunr's background server stops fetching, the local workers take nothing), let the images in flight finish
 * within {@code exifq.shutdown.grace}, then give back every claim still held: the row is queued again and its
 * JobRunr job enqueued, so another replica's next poll takes it instead of waiting for the lease (60 s) to lapse.
 * A run that goes on here after that cannot write (every write is guarded by the claim's token).
 *
 * <p>Runs before the other shutdown observers (JobRunr's own stop, the local pools'), while the database is there.
 * The grace must end before Kubernetes' {@code terminationGracePeriodSeconds} (k8s/base: 60 s, grace 45 s).
 */
@ApplicationScoped
public class GracefulShutdown {
    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    private static final Duration STEP = Duration.ofMillis(100);

    private final LocalWorkers localWorkers;
    private final ImageProcessor processor;
    private final ImageClaims claims;
    private final ImageCompletion completion;
    private final JobRunrSetup jobs;
    private final SurplusJobs surplus;
    private final Duration grace;

    public GracefulShutdown(LocalWorkers localWorkers, ImageProcessor processor, ImageClaims claims,
                            ImageCompletion completion, JobRunrSetup jobs, SurplusJobs surplus,
                            @ConfigProperty(name = "exifq.shutdown.grace", defaultValue = "45s") Duration grace) {
        this.localWorkers = localWorkers;
        this.processor = processor;
        this.claims = claims;
        this.completion = completion;
        this.jobs = jobs;
        this.surplus = surplus;
        this.grace = grace;
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain(grace);
    }

    /** @return the images whose claim was given back because they did not finish within the grace */
    List<String> drain(Duration grace) {
        long start = System.nanoTime();
        jobs.pauseServer();
        processor.stopClaiming();
        surplus.flush(); // the open group's images get their job now, not from the sweeper a minute later
        localWorkers.stopTaking();
        long deadline = start + grace.toNanos();
        while ((!processor.runningClaims().isEmpty() || localWorkers.queued()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(STEP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> released = new ArrayList<>();
        for (ImageClaims.Claim claim : processor.runningClaims()) {
            try {
                giveBack(claim);
                released.add(claim.imageId());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not give back image %s at shutdown; another replica takes it when its lease lapses",
                        claim.imageId());
            }
        }
        LOG.infof("Shutdown: work drained in %d ms, %d unfinished image(s) given back to the queue %s",
                Duration.ofNanos(System.nanoTime() - start).toMillis(), released.size(), released);
        return released;
    }

    private void giveBack(ImageClaims.Claim claim) {
        String id = claim.imageId();
        claims.release(claim);
        UUID jobId = Ulid.toUuid(id);
        if (!jobs.enqueueNow(jobId, "given back: the replica running it shut down")) {
            // no job waiting (it ended, or its enqueue failed): a new one under the image's id, as the sweeper does
            jobs.stateOf(jobId).ifPresent(ended -> jobs.deletePermanently(jobId));
            IngestService.enqueue(id);
        }
        completion.changed(id);
    }

    /** Takes work again after {@link #drain}: for a test that drains a node and then lets it be "another replica". */
    void resume() {
        surplus.resume();
        processor.resumeClaiming();
        localWorkers.resumeTaking();
        jobs.resumeServer();
    }
}
