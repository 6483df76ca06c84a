package dev.exifq.webhooks;

import dev.exifq.jobs.JobRunrSetup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first attempt of a delivery runs here, right after its row commits, instead of waiting for JobRunr's next
 * poll (seconds). Its JobRunr job is written first, scheduled as a backstop for a node that dies mid-attempt, and
 * dropped once the local attempt is over; retries are JobRunr's. A full queue leaves the attempt to that job,
 * brought forward.
 */
@ApplicationScoped
public class FirstAttempts {
    private static final Logger LOG = Logger.getLogger(FirstAttempts.class);
    /** Longer than a claim's lease (WebhookDeliveries#claim), so the backstop never waits on a live attempt. */
    private static final Duration BACKSTOP = Duration.ofMinutes(2);

    private final WebhookJobs jobs;
    private final JobRunrSetup jobRunr;
    private final DeliverWebhookJobHandler handler;
    private final ThreadPoolExecutor pool;

    public FirstAttempts(WebhookJobs jobs, JobRunrSetup jobRunr, DeliverWebhookJobHandler handler) {
        this.jobs = jobs;
        this.jobRunr = jobRunr;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "exifq-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Only once the row is committed can an attempt find it; a failed enqueue is left to {@link WebhookSweeper}. */
    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookDeliveries.Recorded recorded) {
        String id = recorded.deliveryId();
        UUID backstop;
        try {
            backstop = jobs.enqueue(id, 0, Instant.now().plus(BACKSTOP));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not enqueue webhook delivery %s; the sweeper will", id);
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    handler.run(new DeliverWebhookJob(id, 0));
                    jobRunr.dropIfWaiting(backstop);
                } catch (RuntimeException e) {
                    // the backstop stays: it retries once the claim's lease has lapsed
                    LOG.warnf(e, "First attempt of webhook delivery %s failed", id);
                }
            });
        } catch (RejectedExecutionException full) {
            jobRunr.runSoon(backstop);
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
