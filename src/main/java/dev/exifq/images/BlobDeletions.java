package dev.exifq.images;

import dev.exifq.storage.BlobStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The outbox of blobs to delete. Whoever removes an image row (or its blob key) adds the key here in the same
 * transaction; {@link #drain} deletes the blobs afterwards, on whichever replica takes a row first (a row is
 * taken by pushing its {@code not_before} ahead under FOR UPDATE SKIP LOCKED), and a failed delete is retried
 * with backoff, never dropped. A key that an image row points to again is never deleted, only forgotten.
 */
@ApplicationScoped
public class BlobDeletions {
    private static final Logger LOG = Logger.getLogger(BlobDeletions.class);
    public static final int BATCH = 100;
    /** How long a taken row is left alone: the delete of one batch is far shorter. */
    private static final Duration TAKEN = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final EntityManager em;
    private final DataSource db;
    private final BlobStore blobs;

    public BlobDeletions(EntityManager em, DataSource db, BlobStore blobs) {
        this.em = em;
        this.db = db;
        this.blobs = blobs;
    }

    /**
     * Adds the key: in the caller's transaction when there is one, else on its own (plain JDBC on the transaction's
     * connection, or in autocommit: a URL image's download records its intent here). @return the outbox row's id
     */
    public long add(String blobKey, Duration delay) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into blob_deletions (blob_key, not_before) values (?, now() + make_interval(secs => ?))
                     returning id""")) {
            ps.setString(1, blobKey);
            ps.setDouble(2, delay.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the deletion of a stored file", e);
        }
    }

    /** Removes a row whose key turned out to be kept (an intent that was fulfilled), in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(long id) {
        em.createNativeQuery("delete from blob_deletions where id = :id").setParameter("id", id).executeUpdate();
    }

    @Scheduled(every = "${exifq.retention.drain-every:30s}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledDrain() {
        while (drain() == BATCH) {
            // a backlog (an account's worth of images): keep going until a short batch
        }
    }

    /** Deletes up to {@link #BATCH} due blobs. @return how many rows were taken */
    public int drain() {
        List<Object[]> taken = take(null);
        taken.forEach(this::delete);
        return taken.size();
    }

    /** Deletes these rows' blobs now if they are due and nobody else took them; the rest is left to the drain. */
    public void drainNow(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            take(ids).forEach(this::delete);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> take(Collection<Long> ids) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery("""
                    update blob_deletions set not_before = now() + make_interval(secs => :taken)
                     where id in (select id from blob_deletions
                                   where not_before <= now() %s
                                   order by not_before limit %d
                                   for update skip locked)
                    returning id, blob_key""".formatted(ids == null ? "" : "and id in (:ids)", BATCH))
                    .setParameter("taken", (double) TAKEN.toSeconds());
            if (ids != null) {
                query.setParameter("ids", ids);
            }
            return (List<Object[]>) query.getResultList();
        });
    }

    private void delete(Object[] row) {
        long id = ((Number) row[0]).longValue();
        String key = (String) row[1];
        try {
            if (!stillReferenced(key)) {
                blobs.delete(key);
            }
            QuarkusTransaction.requiringNew().run(() -> cancel(id));
        } catch (Exception e) {
            LOG.warnf("Could not delete blob %s (%s); will retry", key, e.toString());
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                    update blob_deletions
                       set attempts = attempts + 1, last_error = left(:error, 500),
                           not_before = now() + least(make_interval(secs => 10 * power(2, least(attempts, 12))),
                                                      make_interval(secs => :max))
                     where id = :id""")
                    .setParameter("error", e.toString())
                    .setParameter("max", (double) MAX_BACKOFF.toSeconds())
                    .setParameter("id", id)
                    .executeUpdate());
        }
    }

    private boolean stillReferenced(String key) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery(
                "select 1 from images where blob_key = :key limit 1").setParameter("key", key).getResultList().isEmpty());
    }
}
