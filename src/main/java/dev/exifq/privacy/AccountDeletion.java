package dev.exifq.privacy;

import dev.exifq.billing.BillingRecords;
import dev.exifq.feedback.FeedbackRecords;
import dev.exifq.images.BlobDeletions;
import dev.exifq.images.ImageDeletion;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Deletes an account and everything it owns: images (through {@link ImageDeletion}: rows, hashes, cache entries
 * only it had, originals via the blob outbox), API keys, sessions, usage and reservations, its sign-in throttle
 * rows and its duplicate-library counter, then the user row; and records who deleted it, when and why, without
 * any of the deleted data. Everything is one transaction; the blobs follow through the outbox.
 */
@ApplicationScoped
public class AccountDeletion {
    private static final Logger LOG = Logger.getLogger(AccountDeletion.class);
    /** Outbox batches drained in the request; a bigger account's remaining blobs go with the scheduled drain. */
    private static final int DRAIN_NOW = 10;

    private final EntityManager em;
    private final BillingRecords billing;
    private final FeedbackRecords feedback;
    private final ImageDeletion images;
    private final BlobDeletions blobDeletions;
    private final Event<AccountDeleted> deleted;

    public AccountDeletion(EntityManager em, ImageDeletion images, BlobDeletions blobDeletions,
                           BillingRecords billing, FeedbackRecords feedback, Event<AccountDeleted> deleted) {
        this.em = em;
        this.billing = billing;
        this.feedback = feedback;
        this.images = images;
        this.blobDeletions = blobDeletions;
        this.deleted = deleted;
    }

    /** Who asked: the user themselves (deletedBy = their id, byAdmin false) or an admin; reason is never null. */
    public record Request(long userId, long deletedBy, boolean byAdmin, String reason) {}

    /** @return false when there is no such user */
    public boolean delete(Request request) {
        List<String> imageIds = QuarkusTransaction.requiringNew().call(() -> remove(request));
        if (imageIds == null) {
            return false;
        }
        images.dropJobs(imageIds);
        try {
            for (int i = 0; i < DRAIN_NOW && blobDeletions.drain() == BlobDeletions.BATCH; i++) {
                // keep going while batches are full
            }
        } catch (RuntimeException e) {
            LOG.warnf("Deleted account %d; its blobs are left to the scheduled drain (%s)", request.userId(), e.toString());
        }
        return true;
    }

    private List<String> remove(Request r) {
        List<?> emails = em.createNativeQuery("select email from users where id = :id for update")
                .setParameter("id", r.userId()).getResultList();
        if (emails.isEmpty()) {
            return null;
        }
        long user = r.userId();
        List<String> imageIds = images.deleteAllOf(user);
        // billing's rows (usage, subscription, Stripe customer link, plan history) and the feedback the user sent
        billing.forgetUser(user);
        feedback.forgetUser(user);
        execute("delete from sessions where user_id = :id", user);
        execute("delete from api_keys where user_id = :id", user);
        em.createNativeQuery("delete from sign_in_attempts where subject = :subject")
                .setParameter("subject", "email:" + emails.get(0)).executeUpdate();
        execute("delete from users where id = :id", user);
        // written by the duplicates triggers while the images went, so after them
        execute("delete from duplicate_library_versions where user_id = :id", user);
        em.createNativeQuery("""
                insert into account_deletions (deleted_user_id, deleted_by, by_admin, reason, images)
                values (:user, :by, :admin, :reason, :images)""")
                .setParameter("user", user)
                .setParameter("by", r.deletedBy())
                .setParameter("admin", r.byAdmin())
                .setParameter("reason", r.reason())
                .setParameter("images", imageIds.size())
                .executeUpdate();
        deleted.fire(new AccountDeleted(user));
        LOG.infof("Account %d deleted (%s, %d images)", user, r.byAdmin() ? "by admin " + r.deletedBy() : "by its user",
                imageIds.size());
        return imageIds;
    }

    private void execute(String sql, long userId) {
        em.createNativeQuery(sql).setParameter("id", userId).executeUpdate();
    }
}
