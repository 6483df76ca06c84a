package dev.exifq.images;

import dev.exifq.jobs.JobMetrics;
import dev.exifq.jobs.JobRunrSetup;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a group of surplus images ({@link SurplusJobs}) one after another, as {@link ProcessImageJobHandler} runs
 * one: only those still unfinished (read together), skipping those a run on this node holds. Those another
 * replica's run holds are waited for together at the end, and taken over if that run's lease lapses; after three
 * leases each left gets a job of its own. An image whose run asks for a retry gets a job of its own at once, as a
 * local run's does ({@link LocalWorkers#runBackstopSoon}), so the group never repeats the images it has finished.
 * A URL image's download goes to the fetch stage as from the per-image job. On the node that wrote the job, the
 * images it takes (and those it finds finished) are marked in the group, so that the node's overflow, which holds
 * them too, skips them instead of trying a claim that could only be refused; and it skips those a local worker
 * claimed from there.
 */
@ApplicationScoped
@Unremovable // only JobRunr looks it up, so Arc would otherwise remove it
public class ProcessImagesJobHandler implements JobRequestHandler<ProcessImagesJob> {
    private static final Logger LOG = Logger.getLogger(ProcessImagesJobHandler.class);
    private static final Duration WAIT_STEP = Duration.ofMillis(500);

    private final ImageProcessor processor;
    private final SurplusJobs surplus;
    private final LocalWorkers localWorkers;
    private final JobRunrSetup jobs;
    private final JobMetrics metrics;
    private final Duration lease;

    public ProcessImagesJobHandler(ImageProcessor processor, SurplusJobs surplus, LocalWorkers localWorkers,
                                   JobRunrSetup jobs, JobMetrics metrics, IngestSettings settings) {
        this.processor = processor;
        this.surplus = surplus;
        this.localWorkers = localWorkers;
        this.jobs = jobs;
        this.metrics = metrics;
        this.lease = settings.lease();
    }

    @Override
    public void run(ProcessImagesJob job) throws Exception {
        Instant giveUp = Instant.now().plus(lease.multipliedBy(3));
        List<String> left = surplus.unfinished(job.getImageIds());
        // the group's images that wait in this node's overflow too (it wrote the job): those finished or taken here
        // are skipped there instead of claimed in vain
        SurplusJobs.Group here = surplus.waitingHere(job.getImageIds());
        if (here != null) {
            Set<String> unfinished = Set.copyOf(left);
            job.getImageIds().stream().filter(id -> !unfinished.contains(id)).forEach(here.takenByJob::add);
        }
        while (!left.isEmpty()) {
            List<String> heldElsewhere = new ArrayList<>();
            for (String id : left) {
                if (here != null) {
                    if (here.claimedLocally.contains(id)) {
                        continue; // a local worker has it, or has finished it since the read above
                    }
                    here.takenByJob.add(id);
                }
                if (!processor.running(id) && runOne(id) == ImageProcessor.Outcome.NOT_CLAIMED) {
                    heldElsewhere.add(id);
                }
            }
            if (heldElsewhere.isEmpty()) {
                return;
            }
            Thread.sleep(WAIT_STEP.toMillis());
            left = surplus.unfinished(heldElsewhere);
            if (Instant.now().isAfter(giveUp)) {
                for (String id : left) {
                    if (!processor.running(id) && StaleImageSweeper.enqueueUnlessPending(jobs, id) != null) {
                        LOG.infof("Image %s is still claimed by another run; it has a job of its own now", id);
                    }
                }
                return;
            }
        }
    }

    private ImageProcessor.Outcome runOne(String imageId) {
        long start = System.nanoTime();
        ImageProcessor.Outcome outcome = processor.process(imageId, null, localWorkers.afterDownload());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        switch (outcome) {
            case DONE -> metrics.ran(ProcessImageJob.KIND, JobMetrics.Outcome.SUCCEEDED, took);
            case RETRY -> {
                metrics.ran(ProcessImageJob.KIND, JobMetrics.Outcome.RETRIED, took);
                localWorkers.runBackstopSoon(imageId);
            }
            case NOT_CLAIMED, HANDED_OVER -> { }
        }
        return outcome;
    }
}
