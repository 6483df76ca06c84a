package dev.exifq.accounts;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Drops what can no longer matter: sign-in and sign-up attempts out of their windows, sessions a day past expiry. */
@ApplicationScoped
public class AccountsMaintenance {
    private final SignInThrottle throttle;
    private final SignUpThrottle signUps;
    private final EntityManager em;

    public AccountsMaintenance(SignInThrottle throttle, SignUpThrottle signUps, EntityManager em) {
        this.throttle = throttle;
        this.signUps = signUps;
        this.em = em;
    }

    @Scheduled(every = "${exifq.auth.maintenance-every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        throttle.prune();
        signUps.prune();
        em.createNativeQuery("delete from sessions where expires_at < now() - interval '1 day'").executeUpdate();
    }
}
