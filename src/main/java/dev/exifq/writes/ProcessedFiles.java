package dev.exifq.writes;

import dev.exifq.storage.BlobStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Retention of processed files: expired or deleted ones are marked ({@code deleted}, {@code soft_deleted_at}),
 * and the purge deletes the blob, then the row, of those marked more than 24 hours ago. Every step is one
 * conditional statement or a {@code FOR UPDATE SKIP LOCKED} batch, so with several replicas each file is
 * expired and purged once; a blob whose delete fails keeps its row and is tried again by the next purge.
 */
@ApplicationScoped
public class ProcessedFiles {
    private static final Logger LOG = Logger.getLogger(ProcessedFiles.class);
    private static final int BATCH = 100;

    private final EntityManager em;
    private final BlobStore blobs;
    private final WritesClock clock;
    private final Duration purgeAfter;

    public ProcessedFiles(EntityManager em, BlobStore blobs, WritesClock clock,
                          @ConfigProperty(name = "exifq.writes.retention", defaultValue = "24h") Duration purgeAfter) {
        this.em = em;
        this.blobs = blobs;
        this.clock = clock;
        this.purgeAfter = purgeAfter;
    }

    public record PurgeReport(boolean ok, int purged, int failed) {}

    /** Marks the processed file of an image deleted (for image deletion); the purge removes its blob. */
    public int deleteForImage(String imageId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "update processed_files set deleted = true, soft_deleted_at = :now where image_id = :id and not deleted")
                .setParameter("now", Timestamp.from(clock.now())).setParameter("id", imageId).executeUpdate());
    }

    /** Marks every processed file of a user deleted (for account deletion); the purge removes the blobs. */
    public int deleteForUser(long userId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "update processed_files set deleted = true, soft_deleted_at = :now where user_id = :u and not deleted")
                .setParameter("now", Timestamp.from(clock.now())).setParameter("u", userId).executeUpdate());
    }

    @Scheduled(every = "${exifq.writes.expiry-interval:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireOnSchedule() {
        expire();
    }

    /** Marks files past their download window deleted; one conditional update, whichever replica runs it. */
    public int expire() {
        Instant now = clock.now();
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        update processed_files set deleted = true, soft_deleted_at = expires_at
                         where not deleted and expires_at <= :now""")
                .setParameter("now", Timestamp.from(now)).executeUpdate());
    }

    /** Deletes blob and row of files marked deleted more than 24 hours ago. */
    public PurgeReport purge() {
        Instant cutoff = clock.now().minus(purgeAfter);
        int purged = 0;
        int failed = 0;
        while (true) {
            int[] batch = QuarkusTransaction.requiringNew().call(() -> purgeBatch(cutoff));
            purged += batch[0];
            failed += batch[1];
            if (batch[0] + batch[1] < BATCH || batch[0] == 0) {
                return new PurgeReport(true, purged, failed);
            }
        }
    }

    /** How many files the purge would remove now: marked deleted, or expired (the purge marks those first), long enough ago. */
    public long purgeable() {
        Instant cutoff = clock.now().minus(purgeAfter);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                        select count(*) from processed_files
                         where (deleted and soft_deleted_at <= :cutoff) or (not deleted and expires_at <= :cutoff)""")
                .setParameter("cutoff", Timestamp.from(cutoff)).getSingleResult()).longValue());
    }

    @SuppressWarnings("unchecked")
    private int[] purgeBatch(Instant cutoff) {
        List<Object[]> rows = em.createNativeQuery("""
                        select image_id, blob_key from processed_files
                         where deleted and soft_deleted_at <= :cutoff
                         order by soft_deleted_at limit :n for update skip locked""")
                .setParameter("cutoff", Timestamp.from(cutoff)).setParameter("n", BATCH).getResultList();
        int purged = 0;
        int failed = 0;
        for (Object[] row : rows) {
            String id = row[0].toString().trim();
            try {
                blobs.delete((String) row[1]);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Processed file %s: its blob could not be deleted (%s); the next purge retries",
                        id, e.toString());
                failed++;
                continue;
            }
            em.createNativeQuery("delete from processed_files where image_id = :id").setParameter("id", id).executeUpdate();
            purged++;
        }
        return new int[] {purged, failed};
    }
}
