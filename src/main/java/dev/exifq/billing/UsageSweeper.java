package dev.exifq.billing;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Keeps usage_reservations small and honest. A reservation is only needed while its image may still fail
 * (and so give its unit back): processed images' reservations are dropped. A reservation whose image row
 * never appeared (the node died between reserving and storing) is refunded after a grace period.
 */
@ApplicationScoped
public class UsageSweeper {
    private static final Logger LOG = Logger.getLogger(UsageSweeper.class);
    private final EntityManager em;

    public UsageSweeper(EntityManager em) {
        this.em = em;
    }

    @Scheduled(every = "${exifq.billing.sweep-every:5m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void sweep() {
        em.createNativeQuery("""
                delete from usage_reservations r using images i
                 where i.id = r.image_id and i.status = 'processed'""").executeUpdate();
        int orphans = ((Number) em.createNativeQuery("""
                with r as (delete from usage_reservations r
                            where r.created_at < now() - interval '10 minutes'
                              and not exists (select 1 from images i where i.id = r.image_id)
                           returning user_id, day),
                     c as (select user_id, day, count(*) as n from r group by user_id, day),
                     u as (update usage_daily d set count = greatest(d.count - c.n, 0)
                             from c where d.user_id = c.user_id and d.day = c.day)
                select coalesce(sum(n), 0) from c""").getSingleResult()).intValue();
        if (orphans > 0) {
            LOG.infof("Refunded %d image reservations whose images were never stored", orphans);
        }
        em.createNativeQuery("delete from usage_reservations where created_at < now() - interval '30 days'")
                .executeUpdate();
    }
}
