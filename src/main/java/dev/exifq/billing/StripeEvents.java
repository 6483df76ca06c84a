package dev.exifq.billing;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one verified Stripe event, exactly once: the event id is stored in the same transaction as its
 * effects, so a retry after success is a no-op and a failure leaves nothing behind for the retry to trip on.
 * The event is read as plain JSON, not through stripe-java's models, so an account on a newer or older API
 * version than the library's still works; only the few fields used here are read.
 */
@ApplicationScoped
public class StripeEvents {
    private static final Logger LOG = Logger.getLogger(StripeEvents.class);
    private static final Set<String> SUBSCRIPTION_EVENTS = Set.of(
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted");

    /** What became of an event. */
    public enum Outcome { PROCESSED, DUPLICATE, IGNORED }

    private final EntityManager em;
    private final Subscriptions subscriptions;
    private final PlanChanges plans;

    public StripeEvents(EntityManager em, Subscriptions subscriptions, PlanChanges plans) {
        this.em = em;
        this.subscriptions = subscriptions;
        this.plans = plans;
    }

    @Transactional
    public Outcome apply(JsonNode event) {
        String id = event.path("id").asText("");
        String type = event.path("type").asText("");
        int fresh = em.createNativeQuery("insert into stripe_events (id, type) values (:id, :t) on conflict do nothing")
                .setParameter("id", id).setParameter("t", type).executeUpdate();
        if (fresh == 0) {
            return Outcome.DUPLICATE;
        }
        JsonNode object = event.path("data").path("object");
        long created = event.path("created").asLong(0);
        Outcome outcome;
        if ("checkout.session.completed".equals(type)) {
            outcome = checkoutCompleted(id, type, object, created);
        } else if (SUBSCRIPTION_EVENTS.contains(type)) {
            outcome = subscriptionChanged(id, type, object, created);
        } else if ("invoice.payment_failed".equals(type)) {
            outcome = paymentFailed(object);
        } else {
            outcome = Outcome.IGNORED;
        }
        LOG.infof("Stripe event %s (%s): %s", id, type, outcome);
        return outcome;
    }

    private Outcome checkoutCompleted(String eventId, String type, JsonNode session, long created) {
        String customer = text(session, "customer");
        Optional<Long> user = userId(text(session, "client_reference_id")).or(() -> subscriptions.userOfCustomer(customer));
        if (user.isEmpty() || customer == null) {
            return Outcome.IGNORED;
        }
        subscriptions.link(user.get(), customer);
        String subscription = text(session, "subscription");
        String paid = text(session, "payment_status");
        if (subscription != null && ("paid".equals(paid) || "no_payment_required".equals(paid))) {
            // the subscription's own events say more (trialing, period end) and may come before or after this
            subscriptions.record(subscription, user.get(), customer, "active", null, created);
            plans.followSubscription(user.get(), subscription, eventId, type);
        }
        return Outcome.PROCESSED;
    }

    private Outcome subscriptionChanged(String eventId, String type, JsonNode sub, long created) {
        String id = text(sub, "id");
        String customer = text(sub, "customer");
        Optional<Long> user = subscriptions.userOfCustomer(customer)
                .or(() -> userId(text(sub.path("metadata"), StripeGateway.USER_ID)));
        if (id == null || customer == null || user.isEmpty()) {
            return Outcome.IGNORED;
        }
        String status = type.endsWith(".deleted") ? "canceled" : sub.path("status").asText("incomplete");
        if (!subscriptions.record(id, user.get(), customer, status, periodEnd(sub), created)) {
            return Outcome.IGNORED;
        }
        plans.followSubscription(user.get(), id, eventId, type);
        return Outcome.PROCESSED;
    }

    /** Only noted: Stripe then moves the subscription to past_due or unpaid, and that event changes the plan. */
    private Outcome paymentFailed(JsonNode invoice) {
        String subscription = Optional.ofNullable(text(invoice, "subscription"))
                .orElse(text(invoice.path("parent").path("subscription_details"), "subscription"));
        if (subscription == null) {
            return Outcome.IGNORED;
        }
        subscriptions.paymentFailed(subscription);
        return Outcome.PROCESSED;
    }

    /** The user id, if it names a user that exists (webhooks may outlive the user). */
    private Optional<Long> userId(String text) {
        if (text == null || !text.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        long id = Long.parseLong(text);
        return em.createNativeQuery("select id from users where id = :id").setParameter("id", id)
                .getResultStream().findFirst().map(x -> id);
    }

    /** current_period_end sits on the subscription in older API versions, on its items in newer ones. */
    private static Instant periodEnd(JsonNode sub) {
        JsonNode end = sub.path("current_period_end");
        if (!end.canConvertToLong()) {
            end = sub.path("items").path("data").path(0).path("current_period_end");
        }
        return end.canConvertToLong() && end.asLong() > 0 ? Instant.ofEpochSecond(end.asLong()) : null;
    }

    /** Stripe retries an event for up to 3 days; ids kept a month cover that with room to spare. */
    @Scheduled(every = "${exifq.stripe.events-prune-every:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        em.createNativeQuery("delete from stripe_events where received_at < now() - interval '30 days'").executeUpdate();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isObject()) { // an expanded object instead of its id
            v = v.path("id");
        }
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
