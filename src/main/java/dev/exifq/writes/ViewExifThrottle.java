package dev.exifq.writes;

import dev.exifq.accounts.AttemptWindow;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * view-exif is public, so each client address may call it {@code exifq.writes.view-exif.max-per-address} times
 * per {@code window}; counted in PostgreSQL (the sign-in throttle's table and lock), so replicas share one count.
 */
@ApplicationScoped
public class ViewExifThrottle {
    private static final String SUBJECT_PREFIX = "view-exif:";

    private final EntityManager em;
    private final int max;
    private final Duration window;

    public ViewExifThrottle(EntityManager em,
                            @ConfigProperty(name = "exifq.writes.view-exif.max-per-address", defaultValue = "30") int max,
                            @ConfigProperty(name = "exifq.writes.view-exif.window", defaultValue = "1m") Duration window) {
        this.em = em;
        this.max = max;
        this.window = window;
    }

    /** Empty if admitted (and counted), else the seconds until the address may call again. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public OptionalLong admit(String clientAddress) {
        String subject = SUBJECT_PREFIX + (clientAddress == null ? "unknown" : clientAddress);
        long retryAfter = AttemptWindow.lockAndCheck(em, subject, window, max);
        if (retryAfter > 0) {
            return OptionalLong.of(retryAfter);
        }
        AttemptWindow.record(em, subject);
        return OptionalLong.empty();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        em.createNativeQuery("delete from sign_in_attempts where subject like '" + SUBJECT_PREFIX
                        + "%' and attempt_at < now() - make_interval(secs => :keep)")
                .setParameter("keep", (double) Math.max(600, window.toSeconds() * 2))
                .executeUpdate();
    }
}
