package dev.exifq.images;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Exactly-one-runner guarantee for image processing. A run owns an image while its claim token is in
 * the row and its lease has not expired; a dead node's lease simply runs out and the next run takes over.
 * Every write of a result is guarded by the token, so a run that lost its lease cannot overwrite a newer one.
 */
@ApplicationScoped
public class ImageClaims {
    private final EntityManager em;
    private final DataSource db;

    public ImageClaims(EntityManager em, DataSource db) {
        this.em = em;
        this.db = db;
    }

    /** A run's hold on an image, with the row as the claim left it (read in the same statement). */
    public record Claim(String imageId, String token, Image image) {
        /** Which run this is: the claim counted it in the row. */
        public int attempt() {
            return image.attempts;
        }
    }

    /**
     * One statement in autocommit (plain JDBC, no ORM session or JTA transaction: every image passes here once);
     * its row comes back with it.
     */
    public Optional<Claim> claim(String imageId, Duration lease) {
        String token = UUID.randomUUID().toString();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update images
                        set status = 'processing', claimed_by = ?, attempts = attempts + 1,
                            claim_expires_at = now() + make_interval(secs => ?), updated_at = now()
                      where id = ?
                        and (status = 'queued' or (status = 'processing' and claim_expires_at < now()))
                     returning *""")) {
            ps.setString(1, token);
            ps.setDouble(2, lease.toSeconds());
            ps.setString(3, imageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Claim(imageId, token, ImageRows.read(rs))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not claim image " + imageId, e);
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean extend(Claim claim, Duration lease) {
        return em.createNativeQuery("""
                update images set claim_expires_at = now() + make_interval(secs => :lease)
                 where id = :id and claimed_by = :token and status = 'processing'""")
                .setParameter("lease", (double) lease.toSeconds())
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token())
                .executeUpdate() == 1;
    }

    /** Gives the image back to the queue after a transient failure, so a retry can claim it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(Claim claim) {
        em.createNativeQuery("""
                update images set status = 'queued', claimed_by = null, claim_expires_at = null, updated_at = now()
                 where id = :id and claimed_by = :token""")
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token())
                .executeUpdate();
    }

    /**
     * Puts the key of a blob this run stored into the row, while the run holds its claim, and cancels the outbox
     * row that would otherwise delete the blob (the intent the run wrote before storing it). Without the claim
     * (the image was deleted meanwhile, or another run took over) the intent becomes due at once instead.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean recordBlob(Claim claim, String blobKey, long intent, BlobDeletions blobDeletions) {
        boolean recorded = em.createNativeQuery("""
                update images set blob_key = :key where id = :id and claimed_by = :token""")
                .setParameter("key", blobKey)
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token())
                .executeUpdate() == 1;
        if (recorded || sameBlobRecorded(claim.imageId(), blobKey)) {
            // keys are named by image and content: a run that took over (after a shutdown gave the image back, or a
            // lease lapsed) stored these same bytes under this key and recorded it; deleting it would lose its original
            blobDeletions.cancel(intent);
        } else {
            blobDeletions.dueNow(intent);
        }
        return recorded;
    }

    private boolean sameBlobRecorded(String imageId, String blobKey) {
        return ((Number) em.createNativeQuery("select count(*) from images where id = :id and blob_key = :key")
                .setParameter("id", imageId).setParameter("key", blobKey).getSingleResult()).longValue() > 0;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Image> load(String imageId) {
        Image image = em.find(Image.class, imageId);
        if (image != null) {
            em.detach(image);
        }
        return Optional.ofNullable(image);
    }
}
