package dev.exifq.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The only writer of a user's plan (users.plan, which the limits read). Every change is logged in
 * plan_changes with who or what made it, when and why.
 * <p>
 * Admins' decisions stick: Stripe only takes away what Stripe gave. After an admin set the plan, events about
 * a subscription that existed before that decision are ignored; a newer subscription may still upgrade the
 * user, and only a plan a subscription gave is taken away when subscriptions stop paying.
 */
@ApplicationScoped
public class PlanChanges {
    private static final Logger LOG = Logger.getLogger(PlanChanges.class);
    static final String ADMIN = "admin";
    static final String STRIPE = "stripe";

    private final EntityManager em;
    private final Subscriptions subscriptions;
    private final String paidPlan;
    private final String freePlan;

    public PlanChanges(EntityManager em, Subscriptions subscriptions, StripeSettings stripe, BillingSettings billing) {
        this.em = em;
        this.subscriptions = subscriptions;
        this.paidPlan = stripe.paidPlan();
        this.freePlan = billing.defaultPlan();
    }

    /** One logged change. */
    public record Change(long id, long userId, String fromPlan, String toPlan, String source, Long adminId,
                         String stripeEventId, String subscriptionId, String reason, Instant changedAt) {}

    /** Sets the plan on an admin's word, and logs it even when the plan stays the same: the decision sticks. */
    @Transactional
    public Optional<Change> setByAdmin(long userId, String plan, long adminId, String reason) {
        return lockPlan(userId).map(from -> write(userId, from, plan, ADMIN, adminId, null, null, reason));
    }

    /**
     * Brings the plan in line with the user's subscriptions after a Stripe event about {@code subscriptionId}
     * was recorded. Call inside the event's transaction.
     */
    void followSubscription(long userId, String subscriptionId, String eventId, String eventType) {
        Optional<String> locked = lockPlan(userId);
        if (locked.isEmpty()) {
            return;
        }
        String current = locked.get();
        Optional<Change> last = last(userId);
        boolean adminSet = last.isPresent() && ADMIN.equals(last.get().source());
        boolean paying = subscriptions.anyPaid(userId);
        if (adminSet) {
            Instant decided = last.get().changedAt();
            boolean olderSubscription = subscriptions.firstSeen(subscriptionId).map(s -> !s.isAfter(decided)).orElse(true);
            if (olderSubscription || !paying) {
                LOG.debugf("Stripe event %s leaves user %d on the plan an admin set", eventId, userId);
                return;
            }
        }
        String target = paying ? paidPlan : freePlan;
        if (!target.equals(current)) {
            write(userId, current, target, STRIPE, null, eventId, subscriptionId, eventType);
        }
    }

    /** The user's changes, newest first. */
    @Transactional
    public List<Change> of(long userId, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, user_id, from_plan, to_plan, source, admin_id, stripe_event_id, subscription_id, reason,
                               %s from plan_changes where user_id = :u order by id desc limit :n"""
                        .formatted(Subscriptions.epochMillis("changed_at")))
                .setParameter("u", userId).setParameter("n", limit).getResultList();
        return rows.stream().map(PlanChanges::change).toList();
    }

    private Optional<Change> last(long userId) {
        return of(userId, 1).stream().findFirst();
    }

    /** Locks the user's row (so concurrent changes apply one by one) and returns the plan; empty if no such user. */
    private Optional<String> lockPlan(long userId) {
        return em.createNativeQuery("select plan from users where id = :u for update", String.class)
                .setParameter("u", userId).getResultStream().map(String.class::cast).findFirst();
    }

    private Change write(long userId, String from, String to, String source, Long adminId, String eventId,
                         String subscriptionId, String reason) {
        em.createNativeQuery("update users set plan = :p where id = :u").setParameter("p", to).setParameter("u", userId)
                .executeUpdate();
        Object[] row = (Object[]) em.createNativeQuery("""
                        insert into plan_changes (user_id, from_plan, to_plan, source, admin_id, stripe_event_id,
                                                  subscription_id, reason, changed_at)
                        values (:u, :f, :t, :s, :a, :e, :sub, :r, clock_timestamp())
                        returning id, user_id, from_plan, to_plan, source, admin_id, stripe_event_id, subscription_id,
                                  reason, %s""".formatted(Subscriptions.epochMillis("changed_at")))
                .setParameter("u", userId).setParameter("f", from).setParameter("t", to).setParameter("s", source)
                .setParameter("a", adminId).setParameter("e", eventId).setParameter("sub", subscriptionId)
                .setParameter("r", reason).getSingleResult();
        LOG.infof("Plan of user %d: %s -> %s (%s%s)", userId, from, to, source,
                adminId != null ? " " + adminId : eventId != null ? " " + eventId : "");
        return change(row);
    }

    private static Change change(Object[] r) {
        return new Change(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2], (String) r[3],
                (String) r[4], r[5] == null ? null : ((Number) r[5]).longValue(), (String) r[6], (String) r[7],
                (String) r[8], Subscriptions.instant(r[9]));
    }
}
