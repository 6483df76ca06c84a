package dev.exifq.webhooks;

import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox of webhook deliveries ({@code webhook_deliveries}). A row is recorded in the transaction that ends
 * its image or batch, so it exists exactly when the result does; its JobRunr job is enqueued after that commits
 * ({@link WebhookJobs}). A run claims the row for one attempt, so two runs never send it at once, and only a
 * pending row is ever sent: once {@code delivered_at} is set no retry sends it again.
 */
@ApplicationScoped
public class WebhookDeliveries {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    private final EntityManager em;
    private final Event<Recorded> recorded;
    private final WebhookSettings settings;

    public WebhookDeliveries(EntityManager em, Event<Recorded> recorded, WebhookSettings settings) {
        this.em = em;
        this.recorded = recorded;
        this.settings = settings;
    }

    /** Fired when a row is written; observed after the commit, to enqueue its first attempt. */
    public record Recorded(String deliveryId) {}

    /** A claimed row: what to send, and to whom. */
    public record Claimed(String id, int attempt, long userId, String kind, String callbackUrl, String body) {
        String event() {
            return kind + ".finished";
        }
    }

    /** In the caller's transaction; a second event for the same subject records nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(long userId, String kind, String subjectId, String callbackUrl, String body) {
        String id = Ulid.next();
        int inserted = em.createNativeQuery("""
                insert into webhook_deliveries (id, user_id, kind, subject_id, callback_url, body)
                values (:id, :user, :kind, :subject, :url, :body)
                on conflict (kind, subject_id) do nothing""")
                .setParameter("id", id).setParameter("user", userId).setParameter("kind", kind)
                .setParameter("subject", subjectId).setParameter("url", callbackUrl).setParameter("body", body)
                .executeUpdate();
        if (inserted == 1) {
            recorded.fire(new Recorded(id));
        }
    }

    /** In the caller's transaction: drops the subject's row, whatever its state (a claimed attempt then records nothing). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(String kind, String subjectId) {
        em.createNativeQuery("delete from webhook_deliveries where kind = :kind and subject_id = :subject")
                .setParameter("kind", kind).setParameter("subject", subjectId).executeUpdate();
    }

    /** Rows that ended (delivered, given up, refused) a week ago: their bodies are copies of users' data. */
    @Transactional
    int prune() {
        return em.createNativeQuery("""
                delete from webhook_deliveries where status <> 'pending' and ended_at < now() - interval '7 days'""")
                .executeUpdate();
    }

    /**
     * Takes the row for attempt {@code attempt}, for long enough that the attempt ends first: empty when it is no
     * longer pending, is at another attempt, or another run holds it.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<Claimed> claim(String id, int attempt) {
        Duration lease = settings.readTimeout().multipliedBy(2).plus(settings.connectTimeout()).plusSeconds(30);
        List<Object[]> rows = em.createNativeQuery("""
                update webhook_deliveries set claimed_until = now() + make_interval(secs => :lease)
                 where id = :id and status = 'pending' and attempt = :attempt
                   and (claimed_until is null or claimed_until < now())
                returning user_id, kind, callback_url, body""")
                .setParameter("lease", (double) lease.toSeconds()).setParameter("id", id)
                .setParameter("attempt", attempt).getResultList();
        return rows.stream().findFirst().map(r -> new Claimed(id, attempt, ((Number) r[0]).longValue(),
                (String) r[1], (String) r[2], (String) r[3]));
    }

    @Transactional
    public void delivered(Claimed c, int status) {
        end(c, DELIVERED, status, null);
    }

    @Transactional
    public void refused(Claimed c, String error) {
        end(c, REFUSED, null, error);
    }

    /**
     * Records a failed attempt: the next one is due after the backoff (capped so the last try falls at the give-up
     * time), or, once that has passed, the delivery is given up.
     *
     * @return when the next attempt is due; empty when given up
     */
    @Transactional
    public Optional<Instant> failed(Claimed c, Integer status, String error) {
        List<?> created = em.createNativeQuery("select created_at from webhook_deliveries where id = :id")
                .setParameter("id", c.id()).getResultList();
        if (created.isEmpty()) {
            return Optional.empty(); // forgotten meanwhile: its image was deleted
        }
        Instant giveUp = instant(created.get(0)).plus(settings.giveUpAfter());
        Instant now = Instant.now();
        if (!now.isBefore(giveUp)) {
            end(c, FAILED, status, error);
            return Optional.empty();
        }
        Instant next = now.plus(backoff(c.attempt() + 1));
        Instant due = next.isAfter(giveUp) ? giveUp : next;
        em.createNativeQuery("""
                update webhook_deliveries set attempt = attempt + 1, next_attempt_at = :due, claimed_until = null,
                       last_status = :status, last_error = :error
                 where id = :id and attempt = :attempt""")
                .setParameter("due", due).setParameter("status", integer(status)).setParameter("error", text(error))
                .setParameter("id", c.id()).setParameter("attempt", c.attempt()).executeUpdate();
        return Optional.of(due);
    }

    /** The wait after the n-th failure (n ≥ 1): initial, doubling, at most the configured maximum. */
    Duration backoff(int failures) {
        Duration max = settings.backoffMax();
        Duration d = settings.backoffInitial();
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    private void end(Claimed c, String status, Integer httpStatus, String error) {
        em.createNativeQuery("""
                update webhook_deliveries set status = :status, claimed_until = null, last_status = :httpStatus,
                       last_error = :error, ended_at = now(),
                       delivered_at = case when :status = 'delivered' then now() end
                 where id = :id and attempt = :attempt and status = 'pending'""")
                .setParameter("status", status).setParameter("httpStatus", integer(httpStatus))
                .setParameter("error", text(error))
                .setParameter("id", c.id()).setParameter("attempt", c.attempt()).executeUpdate();
    }

    private static Instant instant(Object v) {
        return v instanceof java.sql.Timestamp t ? t.toInstant()
                : v instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) v;
    }

    // typed, so that a null binds as the column's type
    private static TypedParameterValue<Integer> integer(Integer v) {
        return new TypedParameterValue<>(StandardBasicTypes.INTEGER, v);
    }

    private static TypedParameterValue<String> text(String v) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, v);
    }

    /** Pending rows overdue by a minute with no claim: their job may be lost (see {@link WebhookSweeper}). */
    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> overdue() {
        return em.createNativeQuery("""
                select id, attempt from webhook_deliveries
                 where status = 'pending' and next_attempt_at < now() - interval '1 minute'
                   and (claimed_until is null or claimed_until < now())
                 order by next_attempt_at limit 500""").getResultList();
    }
}
