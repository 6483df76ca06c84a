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
    /**
     * A CTE that turns {@code synchronous_commit} off for the statement's own transaction: its commit does not wait
     * for the WAL to reach the disk (other sessions see it at once, as ever). Only for a commit whose loss in a crash
     * of PostgreSQL harms nothing because the run's result, whose commit waits, flushes it too; the statement must
     * reference {@code no_flush_wait}, or PostgreSQL never evaluates it.
     */
    private static final String NO_FLUSH_WAIT =
            "no_flush_wait as (select set_config('synchronous_commit', 'off', true))";

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
     *
     * <p>Its commit does not wait for the disk ({@link #NO_FLUSH_WAIT}): lost in a crash of PostgreSQL, the row is as
     * before the claim (queued, or with the lapsed lease it was taken over from) and the image runs again.
     */
    public Optional<Claim> claim(String imageId, Duration lease) {
        String token = UUID.randomUUID().toString();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     with %s
                     update images
                        set status = 'processing', claimed_by = ?, attempts = attempts + 1,
                            claim_expires_at = now() + make_interval(secs => ?), updated_at = now()
                      where id = ?
                        and (status = 'queued' or (status = 'processing' and claim_expires_at < now()))
                        and exists (select 1 from no_flush_wait)
                     returning *""".formatted(NO_FLUSH_WAIT))) {
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
     * (the image was deleted meanwhile, or another run took over) the intent becomes due at once instead. One
     * statement in autocommit: both or neither. Its commit does not wait for the disk ({@link #NO_FLUSH_WAIT}): lost
     * in a crash of PostgreSQL, the image runs again and the intent, written durably before the blob, deletes a blob
     * that no row names.
     */
    public boolean recordBlob(Claim claim, String blobKey, long intent) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     with %s,
                     recorded as (
                       update images set blob_key = ? where id = ? and claimed_by = ? returning id),
                     kept as (
                       -- keys are named by image and content: a run that took over (after a shutdown gave the image
                       -- back, or a lease lapsed) stored these same bytes under this key and recorded it; deleting
                       -- it would lose its original
                       select exists (select 1 from recorded)
                              or exists (select 1 from images where id = ? and blob_key = ?) as yes),
                     cancelled as (
                       delete from blob_deletions where id = ? and (select yes from kept)),
                     due as (
                       update blob_deletions set not_before = now() where id = ? and not (select yes from kept))
                     select exists (select 1 from recorded) from no_flush_wait""".formatted(NO_FLUSH_WAIT))) {
            ps.setString(1, blobKey);
            ps.setString(2, claim.imageId());
            ps.setString(3, claim.token());
            ps.setString(4, claim.imageId());
            ps.setString(5, blobKey);
            ps.setLong(6, intent);
            ps.setLong(7, intent);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the original of image " + claim.imageId(), e);
        }
    }
}
