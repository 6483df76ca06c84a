package dev.exifq.writes;

import dev.exifq.images.BlobDeletions;
import dev.exifq.images.ImageDeleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.List;

/**
 * A deleted image (by its user, an admin or an account deletion) takes its processed file along: in the deleting
 * transaction the row goes and its blob key enters the images' deletion outbox, which deletes it with the
 * original (or retries until it can); nothing waits for the 24-hour purge.
 */
@ApplicationScoped
public class ProcessedFilesOfDeletedImages {
    private final EntityManager em;
    private final BlobDeletions blobDeletions;

    public ProcessedFilesOfDeletedImages(EntityManager em, BlobDeletions blobDeletions) {
        this.em = em;
        this.blobDeletions = blobDeletions;
    }

    void onDeleted(@Observes ImageDeleted deleted) {
        @SuppressWarnings("unchecked")
        List<String> keys = em.createNativeQuery("delete from processed_files where image_id = :id returning blob_key")
                .setParameter("id", deleted.imageId()).getResultList();
        keys.forEach(key -> blobDeletions.add(key, Duration.ZERO));
    }
}
