package dev.exifq.images;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The durable JobRunr job for one image; serialised to JSON in JobRunr's tables. */
public class ProcessImageJob implements JobRequest {
    /** Its kind on /q/metrics (dev.exifq.jobs.JobMetrics), also for the runs local workers do without JobRunr. */
    public static final String KIND = "process_image";

    private String imageId;

    public ProcessImageJob() {
    }

    public ProcessImageJob(String imageId) {
        this.imageId = imageId;
    }

    public String getImageId() {
        return imageId;
    }

    public void setImageId(String imageId) {
        this.imageId = imageId;
    }

    @Override
    public Class<ProcessImageJobHandler> getJobRequestHandler() {
        return ProcessImageJobHandler.class;
    }
}
