package dev.exifq.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** What billing keeps about a user, for the code that deletes accounts. */
@ApplicationScoped
public class BillingRecords {
    private final EntityManager em;

    public BillingRecords(EntityManager em) {
        this.em = em;
    }

    /**
     * Forgets the user's usage counts and reservations, subscriptions, plan-change log and Stripe customer link,
     * in the caller's transaction (or a new one). Nothing is sent to Stripe: the customer and any subscription
     * stay there (cancel them in Stripe first if they should end); later webhooks about them find no user and
     * are ignored.
     *
     * @return the number of rows deleted
     */
    @Transactional
    public int forgetUser(long userId) {
        int n = 0;
        for (String table : new String[]{"usage_reservations", "usage_daily", "subscriptions", "plan_changes",
                "stripe_customers"}) {
            n += em.createNativeQuery("delete from " + table + " where user_id = :u").setParameter("u", userId)
                    .executeUpdate();
        }
        return n;
    }
}
