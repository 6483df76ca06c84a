package dev.exifq.feedback;

import dev.exifq.accounts.AttemptWindow;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.OptionalLong;

/**
 * Submissions per client address, counted in the database like sign-ups ({@link AttemptWindow}, subjects
 * {@value #SUBJECT_PREFIX}address), so every replica shares one count.
 */
@ApplicationScoped
public class FeedbackThrottle {
    static final String SUBJECT_PREFIX = "feedback:";

    private final EntityManager em;
    private final FeedbackSettings settings;

    public FeedbackThrottle(EntityManager em, FeedbackSettings settings) {
        this.em = em;
        this.settings = settings;
    }

    /** @return empty if admitted (and counted), else the seconds until the address may submit again */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public OptionalLong admit(String clientAddress) {
        String subject = SUBJECT_PREFIX + (clientAddress == null ? "unknown" : clientAddress);
        long retryAfter = AttemptWindow.lockAndCheck(em, subject, settings.window(), settings.maxPerAddress());
        if (retryAfter > 0) {
            return OptionalLong.of(retryAfter);
        }
        AttemptWindow.record(em, subject);
        return OptionalLong.empty();
    }

    @Scheduled(every = "${exifq.feedback.prune-every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        em.createNativeQuery("delete from sign_in_attempts where subject like '" + SUBJECT_PREFIX
                        + "%' and attempt_at < now() - make_interval(secs => :keep)")
                .setParameter("keep", (double) settings.window().toSeconds())
                .executeUpdate();
    }
}
