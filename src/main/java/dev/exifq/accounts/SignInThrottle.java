package dev.exifq.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Throttles failed sign-ins per email and per client address: after {@code max-failures} within the
 * sliding {@code window}, further attempts are refused (429) before the password is even checked.
 * <p>
 * Kept in PostgreSQL, not in memory: behind a load balancer every replica must see the same count, or
 * N replicas would allow N times the attempts. Each attempt is recorded before its password is checked,
 * under a transaction-scoped advisory lock per subject, so concurrent attempts cannot all slip under the
 * limit; a successful attempt deletes its own rows again, so what remains are the failures.
 */
@ApplicationScoped
public class SignInThrottle {
    private final EntityManager em;
    private final AuthSettings.Throttle settings;

    public SignInThrottle(EntityManager em, AuthSettings settings) {
        this.em = em;
        this.settings = settings.throttle();
    }

    /** The attempt's rows, to be forgotten if it succeeds. */
    public record Attempt(List<Long> ids) {}

    /** An attempt refused; {@code retryAfterSeconds} until the oldest counted failure leaves the window. */
    public record Refusal(long retryAfterSeconds) {}

    /** Records an attempt for the email and the address, unless either already has too many failures. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Result begin(String email, String clientAddress) {
        // sorted, so two attempts sharing both subjects take the locks in the same order and cannot deadlock
        TreeSet<String> subjects = new TreeSet<>();
        subjects.add("email:" + email);
        if (clientAddress != null) {
            subjects.add("ip:" + clientAddress);
        }
        long retryAfter = 0;
        for (String subject : subjects) {
            retryAfter = Math.max(retryAfter,
                    AttemptWindow.lockAndCheck(em, subject, settings.window(), settings.maxFailures()));
        }
        if (retryAfter > 0) {
            return new Result(Optional.empty(), Optional.of(new Refusal(retryAfter)));
        }
        List<Long> ids = new ArrayList<>();
        for (String subject : subjects) {
            ids.add(AttemptWindow.record(em, subject));
        }
        return new Result(Optional.of(new Attempt(ids)), Optional.empty());
    }

    public record Result(Optional<Attempt> attempt, Optional<Refusal> refusal) {}

    /** The attempt succeeded: it does not count as a failure. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void succeeded(Attempt attempt) {
        em.createNativeQuery("delete from sign_in_attempts where id in (:ids)")
                .setParameter("ids", attempt.ids())
                .executeUpdate();
    }

    /** Drops attempts long out of every window. */
    @Transactional
    public int prune() {
        return em.createNativeQuery(
                        "delete from sign_in_attempts where attempt_at < now() - make_interval(secs => :keep)"
                                + " and (subject like 'email:%' or subject like 'ip:%')") // others prune their own
                .setParameter("keep", (double) Math.max(600, settings.window().toSeconds() * 2))
                .executeUpdate();
    }
}
