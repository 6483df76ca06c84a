package dev.exifq.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Users' Stripe customers and the latest state of their subscriptions, as Stripe's webhooks report them. */
@ApplicationScoped
public class Subscriptions {
    /** Stripe statuses in which the subscription gives the paid plan; every other one (past_due, canceled…) does not. */
    static final Set<String> PAID_STATUSES = Set.of("active", "trialing");

    private final EntityManager em;

    public Subscriptions(EntityManager em) {
        this.em = em;
    }

    /** The state of one subscription as the status endpoint shows it. */
    public record State(String id, String status, Instant currentPeriodEnd, Instant paymentFailedAt) {}

    public Optional<String> customerOf(long userId) {
        return em.createNativeQuery("select customer_id from stripe_customers where user_id = :u", String.class)
                .setParameter("u", userId).getResultStream().map(String.class::cast).findFirst();
    }

    /** The user whose customer this is, if it is still linked (the user may since have been deleted). */
    public Optional<Long> userOfCustomer(String customerId) {
        if (customerId == null) {
            return Optional.empty();
        }
        return em.createNativeQuery("select user_id from stripe_customers where customer_id = :c")
                .setParameter("c", customerId).getResultStream().map(n -> ((Number) n).longValue()).findFirst();
    }

    /** Links the customer to the user unless the user already has one; the link kept is returned. */
    public String link(long userId, String customerId) {
        em.createNativeQuery("insert into stripe_customers (user_id, customer_id) values (:u, :c) on conflict do nothing")
                .setParameter("u", userId).setParameter("c", customerId).executeUpdate();
        return customerOf(userId).orElse(customerId);
    }

    /**
     * Stores a subscription's state unless an event newer than {@code eventCreated} (Stripe's seconds) already
     * did, so a late retry of an old event cannot roll the state back.
     *
     * @return false when the event was older than what is stored, and ignored
     */
    public boolean record(String id, long userId, String customerId, String status, Instant periodEnd, long eventCreated) {
        return em.createNativeQuery("""
                        insert into subscriptions as s (id, user_id, customer_id, status, current_period_end, event_created)
                        values (:id, :u, :c, :st, :end, :ev)
                        on conflict (id) do update set status = excluded.status,
                               current_period_end = coalesce(excluded.current_period_end, s.current_period_end),
                               event_created = excluded.event_created, updated_at = now()
                         where s.event_created <= excluded.event_created""")
                .setParameter("id", id).setParameter("u", userId).setParameter("c", customerId)
                .setParameter("st", status).setParameter("end", periodEnd).setParameter("ev", eventCreated)
                .executeUpdate() > 0;
    }

    public void paymentFailed(String id) {
        em.createNativeQuery("update subscriptions set payment_failed_at = now(), updated_at = now() where id = :id")
                .setParameter("id", id).executeUpdate();
    }

    /** Whether any of the user's subscriptions is active or trialing. */
    public boolean anyPaid(long userId) {
        return ((Number) em.createNativeQuery(
                        "select count(*) from subscriptions where user_id = :u and status in (:paid)")
                .setParameter("u", userId).setParameter("paid", PAID_STATUSES).getSingleResult()).longValue() > 0;
    }

    /** When this app first heard of the subscription, if it has. */
    public Optional<Instant> firstSeen(String id) {
        return em.createNativeQuery("select " + epochMillis("first_seen_at") + " from subscriptions where id = :id")
                .setParameter("id", id).getResultStream().map(Subscriptions::instant).findFirst();
    }

    /** The user's current subscription: a paying one if any, else the last one updated. */
    public Optional<State> current(long userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, status, %s, %s from subscriptions where user_id = :u
                         order by (status in (:paid)) desc, updated_at desc limit 1"""
                        .formatted(epochMillis("current_period_end"), epochMillis("payment_failed_at")))
                .setParameter("u", userId).setParameter("paid", PAID_STATUSES).getResultList();
        return rows.stream().findFirst().map(r -> new State((String) r[0], (String) r[1], instant(r[2]), instant(r[3])));
    }

    /** Timestamps leave SQL as epoch milliseconds, so no JDBC date type has to be guessed. */
    static String epochMillis(String column) {
        return "cast(extract(epoch from " + column + ") * 1000 as bigint)";
    }

    static Instant instant(Object epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
    }
}
