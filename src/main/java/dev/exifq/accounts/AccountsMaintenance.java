package dev.exifq.accounts;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Drops what can no longer matter: sign-in attempts out of every window, sessions a day past expiry. */
@ApplicationScoped
public class AccountsMaintenance {
    private final SignInThrottle throttle;
    private final EntityManager em;

    public AccountsMaintenance(SignInThrottle throttle, EntityManager em) {
        this.throttle = throttle;
        this.em = em;
    }

    @Scheduled(every = "${exifq.auth.maintenance-every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        throttle.prune();
        em.createNativeQuery("delete from sessions where expires_at < now() - interval '1 day'").executeUpdate();
    }
}
