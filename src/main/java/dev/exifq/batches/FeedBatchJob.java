package dev.exifq.batches;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The durable JobRunr job that turns a batch's items into images; its id is derived from the batch's. */
public class FeedBatchJob implements JobRequest {
    private String batchId;

    public FeedBatchJob() {
    }

    public FeedBatchJob(String batchId) {
        this.batchId = batchId;
    }

    public String getBatchId() {
        return batchId;
    }

    public void setBatchId(String batchId) {
        this.batchId = batchId;
    }

    @Override
    public Class<BatchFeeder> getJobRequestHandler() {
        return BatchFeeder.class;
    }
}
