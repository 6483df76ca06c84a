package dev.exifq.images;

import io.quarkus.runtime.ShutdownEvent;
import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts accepted images at once on this node. JobRunr's open-source server only sees new jobs when it
 * polls (5 s at best), too slow for synchronous requests; when this pool is full, the job waits for JobRunr.
 */
@ApplicationScoped
public class LocalWorkers {
    private static final Logger LOG = Logger.getLogger(LocalWorkers.class);
    private final ThreadPoolExecutor executor;
    private final ImageProcessor processor;
    private final JobRunrSetup jobs;

    public LocalWorkers(IngestSettings settings, ImageProcessor processor, JobRunrSetup jobs) {
        this.processor = processor;
        this.jobs = jobs;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.localWorkers(), settings.localWorkers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, settings.localQueue())),
                r -> {
                    Thread t = new Thread(r, "ingest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** @return false when busy: the JobRunr job will run it instead */
    public boolean offer(String imageId) {
        try {
            executor.execute(() -> {
                try {
                    switch (processor.process(imageId)) {
                        case DONE -> dropBackstopJob(imageId);
                        // the job waits backstopDelay for a run that works; a retry should not
                        case RETRY -> runBackstopSoon(imageId);
                        case NOT_CLAIMED -> { } // another run has it
                    }
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Local run of image %s failed; JobRunr will retry it", imageId);
                    runBackstopSoon(imageId);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The image is final, so its JobRunr job would only find nothing to do: spare the queue that work. */
    private void dropBackstopJob(String imageId) {
        try {
            jobs.dropIfScheduled(Ulid.toUuid(imageId));
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not delete the JobRunr job of image %s; it will run as a no-op", imageId);
        }
    }

    /** Whether {@link #offer} would accept an image now (another request may take the place first). */
    public boolean hasRoom() {
        return executor.getQueue().remainingCapacity() > 0 && !executor.isShutdown();
    }

    /** Makes the image's waiting JobRunr job run at JobRunr's next poll. */
    public void runBackstopSoon(String imageId) {
        try {
            jobs.runSoon(Ulid.toUuid(imageId));
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not bring the JobRunr job of image %s forward; it runs when scheduled", imageId);
        }
    }

    public int active() {
        return executor.getActiveCount();
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }
}
