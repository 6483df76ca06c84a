package dev.exifq.webhooks;

import dev.exifq.jobs.JobRunrSetup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.states.StateName;

import java.util.Optional;
import java.util.UUID;

/**
 * Gives a pending delivery whose attempt is overdue and whose job is gone or ended (its enqueue failed after the
 * commit, or a node died mid-attempt and JobRunr failed the job) a new job for that attempt; and drops rows that
 * ended a week ago.
 */
@ApplicationScoped
public class WebhookSweeper {
    private static final Logger LOG = Logger.getLogger(WebhookSweeper.class);

    private final WebhookDeliveries deliveries;
    private final WebhookJobs jobs;
    private final JobRunrSetup jobRunr;

    public WebhookSweeper(WebhookDeliveries deliveries, WebhookJobs jobs, JobRunrSetup jobRunr) {
        this.deliveries = deliveries;
        this.jobs = jobs;
        this.jobRunr = jobRunr;
    }

    @Scheduled(every = "${exifq.webhooks.sweep-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        sweep();
        deliveries.prune();
    }

    /** @return how many attempts got a new job */
    int sweep() {
        int enqueued = 0;
        for (Object[] row : deliveries.overdue()) {
            String id = (String) row[0];
            int attempt = ((Number) row[1]).intValue();
            UUID jobId = WebhookJobs.jobId(id, attempt);
            Optional<StateName> state = jobRunr.stateOf(jobId);
            if (JobRunrSetup.stillToRun(state)) {
                continue;
            }
            LOG.warnf("webhook delivery %s has no live job for attempt %d (its job: %s); enqueueing it again",
                    id, attempt + 1, state.map(Enum::name).orElse("none"));
            state.ifPresent(ended -> jobRunr.deletePermanently(jobId));
            jobs.enqueue(id, attempt, null);
            enqueued++;
        }
        return enqueued;
    }
}
