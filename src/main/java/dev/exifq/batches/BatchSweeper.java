package dev.exifq.batches;

import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.states.StateName;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A batch whose feeder job was never created (the node died between the POST's commit and the enqueue) or
 * ended without feeding every item gets its feeder again.
 */
@ApplicationScoped
public class BatchSweeper {
    private static final Logger LOG = Logger.getLogger(BatchSweeper.class);

    private final EntityManager em;
    private final JobRunrSetup jobs;

    public BatchSweeper(EntityManager em, JobRunrSetup jobs) {
        this.em = em;
        this.jobs = jobs;
    }

    @Scheduled(every = "${exifq.batches.sweep-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        sweep();
    }

    /** @return how many batches got their feeder again */
    int sweep() {
        int enqueued = 0;
        for (String id : unfed()) {
            UUID jobId = Ulid.toUuid(id);
            Optional<StateName> state = jobs.stateOf(jobId);
            if (JobRunrSetup.stillToRun(state)) {
                continue;
            }
            LOG.warnf("Batch %s is not fed (its feeder: %s); enqueueing it again", id,
                    state.map(Enum::name).orElse("none"));
            state.ifPresent(ended -> jobs.deletePermanently(jobId));
            BatchFeeder.enqueue(id);
            enqueued++;
        }
        return enqueued;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<String> unfed() {
        List<Object> ids = em.createNativeQuery("""
                select id from batches where fed < total and created_at < now() - interval '30 seconds'
                 order by created_at limit 1000""").getResultList();
        return ids.stream().map(o -> o.toString().trim()).toList();
    }
}
