package dev.exifq.images;

import io.quarkus.runtime.ShutdownEvent;
import dev.exifq.cluster.Node;
import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts accepted images at once on this node. JobRunr's open-source server only sees new jobs when it
 * polls (5 s at best), too slow for synchronous requests. When this pool is full, the image's job is enqueued for
 * any replica's JobRunr, and the image also waits here, in arrival order, for a local worker to free up: whichever
 * comes first runs it (the claim decides), so a burst does not leave this node idle until the next poll.
 * An {@code api} replica ({@link Node}) runs nothing here: it never has room, and every image goes to the queue.
 */
@ApplicationScoped
public class LocalWorkers {
    private static final Logger LOG = Logger.getLogger(LocalWorkers.class);
    /** Ids only; beyond this the overflow is JobRunr's alone. */
    private static final int MAX_OVERFLOW = 10_000;

    private final ThreadPoolExecutor executor;
    private final ImageProcessor processor;
    private final JobRunrSetup jobs;
    private final ConcurrentLinkedDeque<String> overflow = new ConcurrentLinkedDeque<>();
    private final AtomicInteger overflowSize = new AtomicInteger();
    private final boolean enabled;

    public LocalWorkers(IngestSettings settings, ImageProcessor processor, JobRunrSetup jobs, Node node) {
        this.processor = processor;
        this.jobs = jobs;
        this.enabled = node.role().runsJobs();
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
        if (!enabled) {
            return false;
        }
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
                } finally {
                    refill();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * An image accepted while this node was busy, whose JobRunr job is enqueued: a local worker takes it when one
     * frees up, unless a JobRunr worker (here or on another replica) has claimed it first.
     */
    public void overflowed(String imageId) {
        if (!enabled) {
            return;
        }
        if (overflowSize.incrementAndGet() > MAX_OVERFLOW) {
            overflowSize.decrementAndGet();
            return;
        }
        overflow.addLast(imageId);
        refill();
    }

    /** Moves overflowed images, oldest first, into the local queue while it has room. */
    private void refill() {
        while (executor.getQueue().remainingCapacity() > 0 && !executor.isShutdown()) {
            String next = overflow.pollFirst();
            if (next == null) {
                return;
            }
            if (!offer(next)) {
                overflow.addFirst(next); // the place went to another thread meanwhile
                return;
            }
            overflowSize.decrementAndGet();
        }
    }

    /** The image is final, so its JobRunr job would only find nothing to do: spare the queue that work. */
    private void dropBackstopJob(String imageId) {
        try {
            jobs.dropIfWaiting(Ulid.toUuid(imageId));
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not delete the JobRunr job of image %s; it will run as a no-op", imageId);
        }
    }

    /**
     * Whether a new image would start here without waiting behind overflowed ones (another request may take the
     * place first). Overflowed images go first, so a burst is served in arrival order.
     */
    public boolean hasRoom() {
        return enabled && executor.getQueue().remainingCapacity() > 0 && overflow.isEmpty() && !executor.isShutdown();
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
