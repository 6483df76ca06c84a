package dev.exifq.webhooks;

import org.jobrunr.jobs.lambdas.JobRequest;

/** One attempt at one delivery; serialised to JSON in JobRunr's tables. */
public class DeliverWebhookJob implements JobRequest {
    private String deliveryId;
    private int attempt;

    public DeliverWebhookJob() {
    }

    public DeliverWebhookJob(String deliveryId, int attempt) {
        this.deliveryId = deliveryId;
        this.attempt = attempt;
    }

    public String getDeliveryId() {
        return deliveryId;
    }

    public void setDeliveryId(String deliveryId) {
        this.deliveryId = deliveryId;
    }

    public int getAttempt() {
        return attempt;
    }

    public void setAttempt(int attempt) {
        this.attempt = attempt;
    }

    @Override
    public Class<DeliverWebhookJobHandler> getJobRequestHandler() {
        return DeliverWebhookJobHandler.class;
    }
}
