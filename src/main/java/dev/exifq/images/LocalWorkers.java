package dev.exifq.images;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.exifq.cluster.Node;
import dev.exifq.hashing.HashingDeadline;
import dev.exifq.jobs.JobMetrics;
import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.states.StateName;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Starts accepted images at once on this node. JobRunr's open-source server only sees new jobs when it
 * polls (5 s at best), too slow for synchronous requests. When this pool is full, the image gets a JobRunr job (its
 * group's, {@link SurplusJobs}) for any replica's JobRunr, and the image also waits here, in arrival order, for a
 * local worker to free up: whichever comes first runs it (the claim decides), so a burst does not leave this node
 * idle until the next poll.
 * An {@code api} replica ({@link Node}) runs nothing here: it never has room, and every image goes to the queue.
 *
 * <p>An image whose hashing takes a large-image decode slot (over one band of pixels: a 50 Mpx scan, or a 1 MB
 * PNG declaring 12,200 x 12,200 16-bit pixels) is handed, still claimed, to a lane of its own with as many threads as
 * such decodes may run at once. Without it, a few of them would hold every worker for up to the hashing
 * deadline, waiting for the two slots of a 2-core machine, while thousands of normal images queued behind. The
 * hashing deadline starts when the image is handed over, so one waiting in the lane gets {@code hash_error} at
 * the deadline, as one waiting for a slot does, and then goes back to the workers for the rest of its run. When
 * the lane's queue is full, the worker processes it itself.
 *
 * <p>A URL image's download goes, still claimed, to the fetch stage ({@link dev.exifq.fetch.FetchStage}), and the
 * worker takes the next image. When the original is stored, the run comes back here for the rest (ExifTool, the
 * hashes), ahead of overflowed images that have not started: a slow host costs a connection, not a worker. JobRunr
 * runs on this node hand their downloads over the same way ({@link #afterDownload()}).
 */
@ApplicationScoped
public class LocalWorkers {
    private static final Logger LOG = Logger.getLogger(LocalWorkers.class);
    /** Ids only; beyond this the overflow is JobRunr's alone. */
    private static final int MAX_OVERFLOW = 10_000;
    /** Seconds a retry waits for a running job of its image to end before leaving it to that job. */
    private static final int REQUEUE_CHECKS = 5;

    private final ThreadPoolExecutor executor;
    private final ThreadPoolExecutor largeImages;
    private final ImageProcessor processor;
    private final JobRunrSetup jobs;
    private final JobMetrics metrics;
    private final SurplusJobs surplus;
    private final ConcurrentLinkedDeque<Surplus> overflow = new ConcurrentLinkedDeque<>();
    /** Runs whose download ended, waiting for a worker; never dropped: each holds its claim. */
    private final ConcurrentLinkedDeque<ImageClaims.Claim> downloaded = new ConcurrentLinkedDeque<>();
    private final ImageProcessor.AfterDownload afterDownload = new ImageProcessor.AfterDownload() {
        @Override
        public void downloaded(ImageClaims.Claim claim) {
            LocalWorkers.this.downloaded.addLast(claim);
            refill();
        }

        @Override
        public void ended(String imageId, ImageProcessor.Outcome outcome) {
            settle(imageId, outcome, -1); // ended in the fetch stage: counted, not timed
        }
    };
    private final AtomicInteger overflowSize = new AtomicInteger();
    private final LongAdder skippedForJobs = new LongAdder();
    private final boolean enabled;
    /** Set by {@link GracefulShutdown}: take no new image, in-flight ones go on. */
    private volatile boolean stopped;

    public LocalWorkers(IngestSettings settings, ImageProcessor processor, Extractor extractor, JobRunrSetup jobs,
                        JobMetrics metrics, Node node, SurplusJobs surplus) {
        this.processor = processor;
        this.surplus = surplus;
        this.jobs = jobs;
        this.metrics = metrics;
        this.enabled = node.role().runsJobs();
        this.executor = pool("ingest-", settings.localWorkers(), settings.localQueue());
        // one thread per large decode slot: more would only wait for a slot, or take ExifTool processes that small
        // images need; an image whose deadline passed while it queued goes back to the workers (see takeLarge)
        this.largeImages = pool("ingest-large-", extractor.largeConcurrency(), settings.localQueue());
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)),
                r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Runs an image that has no JobRunr job (the row is its record; see IngestService#start).
     *
     * @return false when busy
     */
    public boolean offer(String imageId) {
        return offer(imageId, null, null);
    }

    /**
     * @param claimed told once this run holds the claim, for an image whose JobRunr job (of its own or its group's)
     *                is enqueued too: the job is deleted if JobRunr has not taken it yet. The claim protects the run
     *                from then on, as it does a run that never had a job (its lease, then StaleImageSweeper); a job
     *                left waiting until the run ended was nearly always taken and run by JobRunr meanwhile, only to
     *                find the image claimed. Null for an image with no job.
     * @param group   the group whose job it is in, or null: if this node's run of that job has taken it by the time a
     *                worker gets to it, the worker leaves it alone
     */
    private boolean offer(String imageId, Consumer<String> claimed, SurplusJobs.Group group) {
        if (!enabled || stopped) {
            return false;
        }
        try {
            executor.execute(() -> {
                long start = System.nanoTime();
                try {
                    if (group != null && group.takenByJob.contains(imageId)) {
                        skippedForJobs.increment(); // a claim could only be refused
                        return;
                    }
                    settle(imageId, processor.process(imageId, this::takeLarge, afterDownload,
                            claimed), start);
                } catch (RuntimeException e) {
                    failed(imageId, e);
                } finally {
                    if (group != null) {
                        surplus.leftOverflow(group);
                    }
                    refill();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private boolean takeLarge(ImageClaims.Claim claim, HashingDeadline deadline) {
        String imageId = claim.imageId();
        try {
            largeImages.execute(() -> {
                // its hashing deadline passed while it queued: what is left (ExifTool, the result) is a normal
                // image's work, which the workers do side by side instead of one after another here
                if (!deadline.expired() || !resumeOn(executor, claim, null, deadline)) {
                    resume(claim, null, deadline);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private boolean resumeOn(ThreadPoolExecutor pool, ImageClaims.Claim claim, ImageProcessor.LargeImageLane lane,
                             HashingDeadline deadline) {
        try {
            pool.execute(() -> {
                try {
                    resume(claim, lane, deadline);
                } finally {
                    refill();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void resume(ImageClaims.Claim claim, ImageProcessor.LargeImageLane lane, HashingDeadline deadline) {
        long start = System.nanoTime();
        try {
            settle(claim.imageId(), processor.resume(claim, lane, deadline), start);
        } catch (RuntimeException e) {
            failed(claim.imageId(), e);
        }
    }

    private void failed(String imageId, RuntimeException e) {
        if (stopped) {
            // a run given back at shutdown that went on until the database closed under it: its job is enqueued
            LOG.debugf(e, "Local run of image %s ended by the shutdown", imageId);
            return;
        }
        LOG.errorf(e, "Local run of image %s failed; JobRunr will retry it", imageId);
        runBackstopSoon(imageId);
    }

    /**
     * @param start when this thread began the run (a handed-over run is timed in the lane from its hand-over), or
     *              -1 for a run that ended elsewhere
     */
    private void settle(String imageId, ImageProcessor.Outcome outcome, long start) {
        Duration took = start < 0 ? null : Duration.ofNanos(System.nanoTime() - start);
        switch (outcome) {
            case DONE -> metrics.ran(ProcessImageJob.KIND, JobMetrics.Outcome.SUCCEEDED, took);
            // a retry runs from JobRunr, at once
            case RETRY -> {
                metrics.ran(ProcessImageJob.KIND, JobMetrics.Outcome.RETRIED, took);
                runBackstopSoon(imageId);
            }
            case NOT_CLAIMED, HANDED_OVER -> { } // another run has it
        }
    }

    /**
     * An image accepted while this node was busy, whose JobRunr job is enqueued: a local worker takes it when one
     * frees up, unless a JobRunr worker (here or on another replica) has claimed it first.
     *
     * @param group the group whose job it is in, or null when it has a job of its own
     */
    public void overflowed(String imageId, SurplusJobs.Group group) {
        if (!enabled || stopped) {
            return;
        }
        if (overflowSize.incrementAndGet() > MAX_OVERFLOW) {
            overflowSize.decrementAndGet();
            return;
        }
        if (group != null) {
            surplus.queuedHere(group); // before it can be taken
        }
        overflow.addLast(new Surplus(imageId, group));
        refill();
    }

    /**
     * Moves runs whose download ended, then overflowed images, oldest first, into the local queue while it has
     * room. Downloads first: they hold a claim and a stored original, and the next image would only start another.
     */
    private void refill() {
        while (executor.getQueue().remainingCapacity() > 0 && !executor.isShutdown()) {
            ImageClaims.Claim ready = downloaded.pollFirst();
            if (ready != null) {
                if (!resumeOn(executor, ready, this::takeLarge, null)) {
                    downloaded.addFirst(ready); // the place went to another thread meanwhile
                    return;
                }
                continue;
            }
            Surplus next = overflow.pollFirst();
            if (next == null) {
                return;
            }
            if (!offer(next.imageId(), next.group() == null ? this::dropWaitingJob
                    : id -> surplus.claimedHere(next.group(), id), next.group())) {
                overflow.addFirst(next); // the place went to another thread meanwhile
                return;
            }
            overflowSize.decrementAndGet();
        }
    }

    /** An overflowed image: in a group's job, or in a job of its own (null group). */
    private record Surplus(String imageId, SurplusJobs.Group group) {}

    /** This node's run holds the image's claim, so its JobRunr job could only find it taken: spare JobRunr that. */
    private void dropWaitingJob(String imageId) {
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
        return enabled && !stopped && executor.getQueue().remainingCapacity() > 0 && overflow.isEmpty()
                && downloaded.isEmpty() && !executor.isShutdown();
    }

    /**
     * Where a JobRunr run on this node hands a URL image's download: its job ends at the hand-over, and the rest
     * runs here.
     */
    ImageProcessor.AfterDownload afterDownload() {
        return afterDownload;
    }

    /**
     * Makes the image's JobRunr job run at JobRunr's next poll: brings a scheduled one forward, or gives the image a
     * new one if it has none (a run started here without one) or its job has ended (a JobRunr run that handed the
     * download over).
     */
    public void runBackstopSoon(String imageId) {
        runBackstopSoon(imageId, REQUEUE_CHECKS);
    }

    private void runBackstopSoon(String imageId, int checksLeft) {
        try {
            UUID jobId = Ulid.toUuid(imageId);
            if (jobs.runSoon(jobId)) {
                return;
            }
            if (checksLeft > 0 && jobs.stateOf(jobId).filter(StateName.PROCESSING::equals).isPresent()) {
                // the JobRunr run that handed this download over may be ending just now: its job would then end
                // as succeeded with the image queued again, so look again shortly
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)
                        .execute(() -> runBackstopSoon(imageId, checksLeft - 1));
                return;
            }
            StaleImageSweeper.enqueueUnlessPending(jobs, imageId);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not bring the JobRunr job of image %s forward; it runs when scheduled", imageId);
        }
    }

    /** Overflowed images left to this node's run of their group's job without a claim tried here (for tests). */
    long skippedForJobsSoFar() {
        return skippedForJobs.sum();
    }

    public int active() {
        return executor.getActiveCount();
    }

    /**
     * Takes nothing new; the overflowed images' jobs are enqueued already (or their group's, once
     * {@link SurplusJobs#flush} wrote the open one), so they are simply forgotten here. Images
     * queued for a thread but not started meet a processor that claims nothing and bring their job forward.
     */
    void stopTaking() {
        stopped = true;
        overflow.clear();
        surplus.forgetOverflow();
        overflowSize.set(0);
    }

    void resumeTaking() {
        stopped = false;
    }

    /** Whether an image still waits in a local queue for a thread (running ones are the processor's to tell). */
    boolean queued() {
        return !executor.getQueue().isEmpty() || !largeImages.getQueue().isEmpty();
    }

    /** Image runs on /q/metrics from the start, on every role (an api replica's count the jobs it creates). */
    void declareMetrics(@Observes StartupEvent event) {
        metrics.declare(ProcessImageJob.KIND);
    }

    /** Runs whose download has ended and that wait for a worker. */
    int downloadedWaiting() {
        return downloaded.size();
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdown();
        largeImages.shutdown();
    }
}
