package dev.exifq.feedback;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** What feedback keeps about a user, for the code that deletes accounts. */
@ApplicationScoped
public class FeedbackRecords {
    private final EntityManager em;

    public FeedbackRecords(EntityManager em) {
        this.em = em;
    }

    /** Deletes what the user sent while signed in (name, email and message are theirs); returns how many. */
    @Transactional
    public int forgetUser(long userId) {
        return em.createNativeQuery("delete from feedback where user_id = :u").setParameter("u", userId).executeUpdate();
    }
}
