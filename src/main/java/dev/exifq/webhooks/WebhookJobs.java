package dev.exifq.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import org.jobrunr.scheduling.BackgroundJobRequest;
import org.jobrunr.scheduling.JobBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Enqueues delivery attempts as JobRunr jobs. The retry schedule is ours ({@link WebhookDeliveries#failed}), so
 * JobRunr's own retries are off; each attempt is a job of its own whose id follows from the delivery and the
 * attempt number, so the sweeper can tell whether an attempt's job still exists.
 */
@ApplicationScoped
public class WebhookJobs {
    static UUID jobId(String deliveryId, int attempt) {
        return UUID.nameUUIDFromBytes(("webhook " + deliveryId + " " + attempt).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code at}: when the attempt is due; null for now. */
    UUID enqueue(String deliveryId, int attempt, Instant at) {
        JobBuilder job = JobBuilder.aJob()
                .withId(jobId(deliveryId, attempt))
                .withName("deliver webhook " + deliveryId + " (attempt " + (attempt + 1) + ")")
                .withAmountOfRetries(0)
                .withJobRequest(new DeliverWebhookJob(deliveryId, attempt));
        if (at != null && at.isAfter(Instant.now())) {
            job.scheduleAt(at);
        }
        BackgroundJobRequest.create(job);
        return jobId(deliveryId, attempt);
    }
}
