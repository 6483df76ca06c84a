package dev.exifq.webhooks;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

import java.time.Instant;
import java.util.Optional;

/**
 * One attempt: claim the row, sign with the user's current secret, POST, record the outcome, and on failure
 * enqueue the next attempt at its backoff. A row that is no longer pending at this attempt is left alone, so a
 * job run twice (JobRunr is at-least-once) or late never sends a delivered event again.
 */
@ApplicationScoped
@Unremovable // only JobRunr looks it up
public class DeliverWebhookJobHandler implements JobRequestHandler<DeliverWebhookJob> {
    private static final Logger LOG = Logger.getLogger(DeliverWebhookJobHandler.class);

    private final WebhookDeliveries deliveries;
    private final WebhookSecrets secrets;
    private final WebhookSender sender;
    private final WebhookJobs jobs;

    public DeliverWebhookJobHandler(WebhookDeliveries deliveries, WebhookSecrets secrets, WebhookSender sender,
                                    WebhookJobs jobs) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.sender = sender;
        this.jobs = jobs;
    }

    @Override
    public void run(DeliverWebhookJob job) {
        Optional<WebhookDeliveries.Claimed> claimed = deliveries.claim(job.getDeliveryId(), job.getAttempt());
        if (claimed.isEmpty()) {
            return;
        }
        WebhookDeliveries.Claimed c = claimed.get();
        WebhookSender.Outcome outcome = attempt(c);
        switch (outcome.kind()) {
            case DELIVERED -> deliveries.delivered(c, outcome.status());
            case REFUSED -> {
                LOG.infof("webhook delivery %s refused: %s", c.id(), outcome.error());
                deliveries.refused(c, outcome.error());
            }
            case FAILED -> {
                Optional<Instant> next = deliveries.failed(c, outcome.status(), outcome.error());
                if (next.isPresent()) {
                    jobs.enqueue(c.id(), c.attempt() + 1, next.get());
                } else {
                    LOG.infof("webhook delivery %s given up after %d attempts: %s", c.id(), c.attempt() + 1,
                            outcome.error());
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private WebhookSender.Outcome attempt(WebhookDeliveries.Claimed c) {
        String secret;
        try {
            secret = secrets.current(c.userId());
        } catch (WebhookSecrets.UnreadableSecretException e) {
            return new WebhookSender.Outcome(WebhookSender.Outcome.Kind.FAILED, null,
                    "The webhook secret cannot be read after a server key change; rotate it");
        }
        String signature = WebhookSignature.header(secret, Instant.now().getEpochSecond(), c.body());
        return sender.send(c.callbackUrl(), c.id(), c.event(), c.body(), signature);
    }
}
