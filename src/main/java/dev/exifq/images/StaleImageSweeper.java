package dev.exifq.images;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jobrunr.scheduling.BackgroundJobRequest;
import org.jobrunr.scheduling.JobBuilder;

import java.util.List;

/**
 * The last line of defence against an image that no job will run: its enqueue failed after the row was
 * written, or its jobs were lost. JobRunr's own retries back off at most ~30 s, so anything queued
 * untouched for minutes, or processing with a long-expired lease, gets a fresh job.
 */
@ApplicationScoped
public class StaleImageSweeper {
    private static final Logger LOG = Logger.getLogger(StaleImageSweeper.class);
    private final EntityManager em;

    public StaleImageSweeper(EntityManager em) {
        this.em = em;
    }

    @Scheduled(every = "${exifq.ingest.sweep-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        for (String id : stale()) {
            LOG.warnf("Image %s looks abandoned; enqueueing it again", id);
            BackgroundJobRequest.create(JobBuilder.aJob().withName("re-process image " + id)
                    .withAmountOfRetries(3).withJobRequest(new ProcessImageJob(id)));
        }
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<String> stale() {
        return em.createNativeQuery("""
                update images set updated_at = now()
                 where id in (select id from images
                               where (status = 'queued' and updated_at < now() - interval '3 minutes')
                                  or (status = 'processing' and claim_expires_at < now() - interval '1 minute')
                               limit 500
                               for update skip locked)
                returning id""").getResultList();
    }
}
