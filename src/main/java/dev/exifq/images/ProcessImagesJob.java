package dev.exifq.images;

import org.jobrunr.jobs.lambdas.JobRequest;

import java.util.ArrayList;
import java.util.List;

/** The durable JobRunr job for a group of surplus images ({@link SurplusJobs}); serialised to JSON in JobRunr's tables. */
public class ProcessImagesJob implements JobRequest {
    private List<String> imageIds = new ArrayList<>();

    public ProcessImagesJob() {
    }

    public ProcessImagesJob(List<String> imageIds) {
        this.imageIds = new ArrayList<>(imageIds);
    }

    public List<String> getImageIds() {
        return imageIds;
    }

    public void setImageIds(List<String> imageIds) {
        this.imageIds = imageIds;
    }

    @Override
    public Class<ProcessImagesJobHandler> getJobRequestHandler() {
        return ProcessImagesJobHandler.class;
    }
}
