package dev.exifq.batches;

import dev.exifq.images.IngestService;
import dev.exifq.platform.Ulid;
import io.quarkus.arc.Unremovable;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.scheduling.BackgroundJobRequest;
import org.jobrunr.scheduling.JobBuilder;

import java.util.List;

/**
 * Turns a batch's items into queued images, {@code chunk} at a time, each chunk in its own transaction that also
 * advances the batch's {@code fed}; then starts them as any queued images. A run that dies anywhere resumes from
 * {@code fed} (JobRunr runs the job again, or {@link BatchSweeper} enqueues it again); a chunk whose images
 * were written but not started is found by the images' own stale sweeper.
 */
@ApplicationScoped
@Unremovable // only JobRunr looks it up
public class BatchFeeder implements JobRequestHandler<FeedBatchJob> {
    private final EntityManager em;
    private final IngestService ingest;
    private final int chunk;

    public BatchFeeder(EntityManager em, IngestService ingest,
                       @ConfigProperty(name = "exifq.batches.chunk", defaultValue = "500") int chunk) {
        this.em = em;
        this.ingest = ingest;
        this.chunk = chunk;
    }

    /** Creates the batch's feeder job; a second create with the same batch is ignored by JobRunr (same id). */
    static void enqueue(String batchId) {
        BackgroundJobRequest.create(JobBuilder.aJob()
                .withId(Ulid.toUuid(batchId))
                .withName("feed batch " + batchId)
                .withAmountOfRetries(10)
                .withJobRequest(new FeedBatchJob(batchId)));
    }

    @Override
    public void run(FeedBatchJob job) {
        while (true) {
            List<String> ids = QuarkusTransaction.requiringNew().call(() -> feedChunk(job.getBatchId()));
            if (ids == null) {
                return;
            }
            ingest.startQueued(ids);
        }
    }

    /** The ids of the images made from the next chunk; null when every item has its image. */
    @SuppressWarnings("unchecked")
    List<String> feedChunk(String batchId) {
        // one feeder of a batch at a time, without locking the batch row before the images: the transactions
        // that end images lock their image row, then the batch row (BatchCounter), and this takes them in that order too
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext(:id))) l")
                .setParameter("id", "batch:" + batchId).getResultList();
        List<Object[]> rows = em.createNativeQuery("select fed, total from batches where id = :id")
                .setParameter("id", batchId).getResultList();
        if (rows.isEmpty()) {
            return null; // the account was deleted
        }
        int fed = ((Number) rows.get(0)[0]).intValue();
        int total = ((Number) rows.get(0)[1]).intValue();
        if (fed >= total) {
            return null;
        }
        int to = Math.min(total, fed + chunk);
        List<Object> ids = em.createNativeQuery("""
                        insert into images (id, user_id, status, source_url, edit, batch_id, created_at, updated_at)
                        select bi.image_id, b.user_id, 'queued', bi.url, b.edit, b.id, now(), now()
                          from batch_items bi join batches b on b.id = bi.batch_id
                         where bi.batch_id = :id and bi.position >= :from and bi.position < :to
                         order by bi.position
                        on conflict (id) do nothing
                        returning id""")
                .setParameter("id", batchId).setParameter("from", fed).setParameter("to", to).getResultList();
        em.createNativeQuery("""
                        update batches set fed = :to, status = case when status = 'queued' then 'running' else status end
                         where id = :id""")
                .setParameter("id", batchId).setParameter("to", to).executeUpdate();
        return ids.stream().map(o -> o.toString().trim()).toList();
    }
}
