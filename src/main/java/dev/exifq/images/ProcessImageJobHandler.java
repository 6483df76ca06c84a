package dev.exifq.images;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

import java.time.Duration;
import java.time.Instant;

/**
 * Runs an image when no local worker did, or after a node died mid-run. JobRunr is at-least-once, so a
 * run of an already finished image is a no-op; if another run holds the claim, wait for it to finish or
 * for its lease to lapse, then take over (unless that run is on this node: it ends the image, or gives it a new
 * job). A URL image's download goes to the fetch stage, and the job ends there: the rest of the run goes on in
 * this node's local workers, which give the image a new job if it must be retried; if this node dies meanwhile,
 * its lease lapses and the sweeper does.
 */
@ApplicationScoped
@Unremovable // only JobRunr looks it up, so Arc would otherwise remove it
public class ProcessImageJobHandler implements JobRequestHandler<ProcessImageJob> {
    private static final Duration WAIT_STEP = Duration.ofMillis(500);

    private final ImageProcessor processor;
    private final OwnedImages images;
    private final IngestSettings settings;
    private final LocalWorkers localWorkers;

    public ProcessImageJobHandler(ImageProcessor processor, OwnedImages images, IngestSettings settings,
                                  LocalWorkers localWorkers) {
        this.localWorkers = localWorkers;
        this.processor = processor;
        this.images = images;
        this.settings = settings;
    }

    @Override
    public void run(ProcessImageJob job) throws Exception {
        Instant giveUp = Instant.now().plus(settings.lease().multipliedBy(3));
        while (true) {
            switch (processor.process(job.getImageId(), null, localWorkers.afterDownload())) {
                case DONE:
                case HANDED_OVER:
                    return;
                case RETRY:
                    throw new RetryLaterException("Image " + job.getImageId() + " failed transiently; JobRunr retries it");
                case NOT_CLAIMED:
                    var image = images.byId(job.getImageId());
                    if (image.isEmpty() || image.get().isFinished() || processor.running(job.getImageId())) {
                        return;
                    }
                    if (Instant.now().isAfter(giveUp)) {
                        throw new RetryLaterException("Image " + job.getImageId() + " is still claimed by another run");
                    }
                    Thread.sleep(WAIT_STEP.toMillis());
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
    }

    static final class RetryLaterException extends Exception {
        RetryLaterException(String message) {
            super(message);
        }
    }
}
