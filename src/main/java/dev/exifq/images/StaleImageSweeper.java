package dev.exifq.images;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.platform.Ulid;
import org.jobrunr.jobs.states.StateName;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands to JobRunr the unfinished images that no run or job has: an image a node took to run itself (which has no
 * JobRunr job, see IngestService#start) when that node died before starting it or died during its run, an image
 * whose enqueue failed after the row was written, or whose job ended (JobRunr gave up, or it was deleted) while the
 * image is still unfinished. Anything queued untouched for {@code exifq.ingest.backstop-delay}, or processing with
 * a lapsed lease, is checked, oldest first; an image whose job is still waiting or running is left to it (a
 * backlog of thousands of URLs waits longer than that, and a second job each would only double JobRunr's work when
 * it is already behind); so is one whose group's job ({@link SurplusJobs}) is. Every replica sweeps; rows one
 * sweep takes are locked and touched, so no two replicas check the same image at once.
 */
@ApplicationScoped
public class StaleImageSweeper {
    private static final Logger LOG = Logger.getLogger(StaleImageSweeper.class);
    private final EntityManager em;
    private final JobRunrSetup jobs;
    private final IngestSettings settings;

    public StaleImageSweeper(EntityManager em, JobRunrSetup jobs, IngestSettings settings) {
        this.em = em;
        this.jobs = jobs;
        this.settings = settings;
    }

    @Scheduled(every = "${exifq.ingest.sweep-every:20s}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        sweep();
    }

    /** @return how many images got a new job */
    int sweep() {
        int enqueued = 0;
        Map<UUID, Boolean> groupsToRun = new HashMap<>();
        for (Object[] row : stale()) {
            String id = (String) row[0];
            UUID group = row[1] == null ? null : UUID.fromString((String) row[1]);
            if (group != null && groupsToRun.computeIfAbsent(group, g -> JobRunrSetup.stillToRun(jobs.stateOf(g)))) {
                continue; // its group's job will run it
            }
            Optional<StateName> ended = enqueueUnlessPending(jobs, id);
            if (ended != null) {
                LOG.warnf("Image %s looked abandoned (its job: %s%s); enqueued it again", id,
                        ended.map(Enum::name).orElse("none"), group == null ? "" : "; its group's job has ended");
                enqueued++;
            }
        }
        return enqueued;
    }

    /**
     * Gives the image a new job now unless its job is still waiting or running.
     *
     * @return null when the job was pending, else the state the old job had ended in (empty: there was none)
     */
    static Optional<StateName> enqueueUnlessPending(JobRunrSetup jobs, String imageId) {
        UUID jobId = Ulid.toUuid(imageId);
        Optional<StateName> state = jobs.stateOf(jobId);
        if (JobRunrSetup.stillToRun(state)) {
            return null;
        }
        // the job keeps the image's id, so the next sweep finds it
        state.ifPresent(ended -> jobs.deletePermanently(jobId));
        IngestService.enqueue(imageId);
        return state;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> stale() {
        return em.createNativeQuery("""
                update images set updated_at = now()
                 where id in (select id from images
                               where (status = 'queued' and updated_at < now() - make_interval(secs => :untouched))
                                  or (status = 'processing' and claim_expires_at < now())
                               order by updated_at
                               limit 500
                               for update skip locked)
                returning id, job_id::text""").setParameter("untouched", (double) settings.backstopDelay().toSeconds())
                .getResultList();
    }
}
