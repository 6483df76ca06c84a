package dev.exifq.images;

import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.states.StateName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Deletes images: the row (its hash band rows cascade), its usage reservation without a refund (the unit stays
 * consumed), the extraction cache entry when no other image has the same bytes, and, through
 * {@link BlobDeletions} in the same transaction, its original. A run still working on it loses its claim with the
 * row: its guarded writes match nothing, and a blob it stores afterwards is deleted by the run itself
 * ({@link ImageClaims#recordBlob}). Its JobRunr job is removed unless it is running.
 */
@ApplicationScoped
public class ImageDeletion {
    private static final Logger LOG = Logger.getLogger(ImageDeletion.class);
    private final EntityManager em;
    private final BlobDeletions blobDeletions;
    private final JobRunrSetup jobs;
    private final Event<ImageDeleted> deleted;

    public ImageDeletion(EntityManager em, BlobDeletions blobDeletions, JobRunrSetup jobs, Event<ImageDeleted> deleted) {
        this.em = em;
        this.blobDeletions = blobDeletions;
        this.jobs = jobs;
        this.deleted = deleted;
    }

    /** @return false when the user has no image with this id */
    public boolean delete(long userId, String imageId) {
        Optional<Long> outbox = QuarkusTransaction.requiringNew().call(() -> remove(userId, imageId));
        if (outbox == null) {
            return false;
        }
        dropJob(imageId);
        outbox.ifPresent(id -> blobDeletions.drainNow(List.of(id)));
        return true;
    }

    /** @return null when there is no such image; else the outbox row of its original, if it had one */
    private Optional<Long> remove(long userId, String imageId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select blob_key, batch_id, status in ('processed', 'failed') from images
                 where id = :id and user_id = :user for update""")
                .setParameter("id", imageId).setParameter("user", userId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        String blobKey = (String) rows.get(0)[0];
        String batchId = rows.get(0)[1] == null ? null : rows.get(0)[1].toString().trim();
        boolean finished = (Boolean) rows.get(0)[2];
        Long outbox = blobKey == null ? null : blobDeletions.add(blobKey, Duration.ZERO);
        forgetCacheEntries("images.id = :id", "i.id <> :id", imageId);
        em.createNativeQuery("delete from usage_reservations where image_id = :id").setParameter("id", imageId).executeUpdate();
        em.createNativeQuery("delete from images where id = :id").setParameter("id", imageId).executeUpdate();
        deleted.fire(new ImageDeleted(imageId, userId, batchId, finished));
        return Optional.ofNullable(outbox);
    }

    /**
     * Deletes every image of a user in the caller's transaction (account deletion); the originals go to the
     * outbox, and the caller drains it and calls {@link #dropJobs} after the commit.
     *
     * @return the ids of the deleted images
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<String> deleteAllOf(long userId) {
        em.createNativeQuery("""
                insert into blob_deletions (blob_key)
                select blob_key from images where user_id = :user and blob_key is not null""")
                .setParameter("user", userId).executeUpdate();
        forgetCacheEntries("images.user_id = :id", "i.user_id <> :id", userId);
        em.createNativeQuery("delete from usage_reservations where user_id = :user").setParameter("user", userId).executeUpdate();
        List<String> ids = em.createNativeQuery("delete from images where user_id = :user returning id")
                .setParameter("user", userId).getResultList();
        ids.forEach(id -> deleted.fire(new ImageDeleted(id, userId)));
        return ids;
    }

    /**
     * The extraction cache is shared across users by checksum but holds the metadata of the bytes, GPS included:
     * an entry goes with the last image that has those bytes.
     */
    private void forgetCacheEntries(String deleting, String others, Object id) {
        em.createNativeQuery("""
                delete from extraction_cache c
                 where c.checksum in (select checksum from images where %s and checksum is not null)
                   and not exists (select 1 from images i where i.checksum = c.checksum and %s)"""
                        .formatted(deleting, others))
                .setParameter("id", id).executeUpdate();
    }

    public void dropJobs(List<String> imageIds) {
        imageIds.forEach(this::dropJob);
    }

    /** A waiting or ended job goes; a running one finds its image gone and ends without writing anything. */
    private void dropJob(String imageId) {
        UUID jobId = Ulid.toUuid(imageId);
        try {
            if (!jobs.dropIfWaiting(jobId)) {
                Optional<StateName> state = jobs.stateOf(jobId);
                if (state.isPresent() && state.get() != StateName.PROCESSING) {
                    jobs.deletePermanently(jobId);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not remove the job of deleted image %s (%s); it will find no image", imageId, e.toString());
        }
    }
}
