package dev.exifq.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.OptionalLong;

/**
 * Limits sign-up attempts per client address ({@code exifq.auth.sign-ups.*}: 10 an hour by default), so one
 * address cannot mass-create free accounts (each with its own daily allowance) or probe which emails have
 * accounts through the 409 answer. Every attempt counts, whatever its outcome.
 * <p>
 * Shares {@code sign_in_attempts} with {@link SignInThrottle} (subjects {@value #SUBJECT_PREFIX}address), and
 * like it counts in PostgreSQL under a transaction-scoped advisory lock, so replicas share one count and
 * concurrent attempts cannot all slip under the limit.
 */
@ApplicationScoped
public class SignUpThrottle {
    static final String SUBJECT_PREFIX = "sign-up:";

    private final EntityManager em;
    private final AuthSettings.SignUps settings;

    public SignUpThrottle(EntityManager em, AuthSettings settings) {
        this.em = em;
        this.settings = settings.signUps();
    }

    /**
     * Records a sign-up attempt from the address, unless it already made the most the window allows.
     *
     * @return empty if admitted, else the seconds until the oldest counted attempt leaves the window
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public OptionalLong admit(String clientAddress) {
        if (clientAddress == null) {
            return OptionalLong.empty();
        }
        String subject = SUBJECT_PREFIX + clientAddress;
        long retryAfter = AttemptWindow.lockAndCheck(em, subject, settings.window(), settings.maxPerAddress());
        if (retryAfter > 0) {
            return OptionalLong.of(retryAfter);
        }
        AttemptWindow.record(em, subject);
        return OptionalLong.empty();
    }

    /** Drops sign-up attempts out of the window. */
    @Transactional
    public int prune() {
        return em.createNativeQuery("delete from sign_in_attempts where subject like '" + SUBJECT_PREFIX
                        + "%' and attempt_at < now() - make_interval(secs => :keep)")
                .setParameter("keep", (double) Math.max(600, settings.window().toSeconds() * 2))
                .executeUpdate();
    }
}
