package dev.exifq.jobs;

import dev.exifq.cluster.Node;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * JobRunr core wired by hand (its Quarkus extension is not served at a current version): storage in our
 * PostgreSQL, jobs resolved as CDI beans, and a background server in every replica unless switched off or the
 * replica's role is {@code api}.
 */
@ApplicationScoped
public class JobRunrSetup {
    private static final Logger LOG = Logger.getLogger(JobRunrSetup.class);

    private final DataSource dataSource;
    private final boolean serverEnabled;
    private final int workers;
    private final Duration pollInterval;
    private final JobMetrics metrics;
    private volatile StorageProvider storage;

    public JobRunrSetup(DataSource dataSource, Node node, JobMetrics metrics,
                        @ConfigProperty(name = "exifq.jobs.server-enabled", defaultValue = "true") boolean serverEnabled,
                        @ConfigProperty(name = "exifq.jobs.workers", defaultValue = "0") int workers,
                        @ConfigProperty(name = "exifq.jobs.poll-interval", defaultValue = "5s") Duration pollInterval) {
        this.dataSource = dataSource;
        this.serverEnabled = serverEnabled && node.role().runsJobs();
        this.workers = workers;
        this.pollInterval = pollInterval;
        this.metrics = metrics;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        BackgroundJobServerConfiguration server = BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(pollInterval)
                // by the time JobRunr stops, GracefulShutdown has waited for its runs and given back the rest
                .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(Duration.ofSeconds(2));
        if (workers > 0) {
            server = server.andWorkerCount(workers);
        }
        storage = new PostgresStorageProvider(dataSource);
        JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(storage)
                .useJobActivator(new ArcJobActivator())
                .withJobFilter(metrics)
                .useBackgroundJobServerIf(serverEnabled, server)
                .initialize();
        LOG.infof("JobRunr started (background server %s, poll every %s)", serverEnabled ? "on" : "off", pollInterval);
    }

    /**
     * Makes a job that is waiting for its scheduled time run at JobRunr's next poll instead. False when there is
     * no such job or it is already enqueued, running or done (then there is nothing to bring forward).
     */
    public boolean runSoon(UUID jobId) {
        StorageProvider sp = storage;
        if (sp == null) {
            return false;
        }
        try {
            Job job = sp.getJobById(jobId);
            if (job.getState() != StateName.SCHEDULED) {
                return false;
            }
            job.enqueue();
            sp.save(job);
            return true;
        } catch (JobNotFoundException | ConcurrentJobModificationException e) {
            return false; // gone, or JobRunr moved it meanwhile
        }
    }

    /** Stops this replica's background server from fetching jobs; the ones it runs go on. */
    public void pauseServer() {
        if (serverEnabled && storage != null) {
            JobRunr.getBackgroundJobServer().pauseProcessing();
        }
    }

    public void resumeServer() {
        if (serverEnabled && storage != null) {
            JobRunr.getBackgroundJobServer().resumeProcessing();
        }
    }

    /**
     * Makes a job any replica's next poll takes: a scheduled or failed one is enqueued, one this replica was
     * processing is marked failed ("given back") and enqueued, so it need not wait to be declared orphaned. The
     * run that was processing it here finds the job changed under it when it ends (JobRunr lets the stored state
     * win). False when there is no such job or it has ended (succeeded or deleted).
     */
    public boolean enqueueNow(UUID jobId, String why) {
        StorageProvider sp = storage;
        if (sp == null) {
            return false;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Job job = sp.getJobById(jobId);
                switch (job.getState()) {
                    case ENQUEUED -> {
                        return true;
                    }
                    case PROCESSING -> job.failed(why, new IllegalStateException(why));
                    case AWAITING, SCHEDULED, FAILED -> { }
                    default -> {
                        return false;
                    }
                }
                job.enqueue();
                sp.save(job);
                return true;
            } catch (JobNotFoundException e) {
                return false;
            } catch (ConcurrentJobModificationException e) {
                if (attempt == 3) {
                    throw e;
                }
                // JobRunr saved it meanwhile (its heartbeat on a processing job, a state change): read it again
            }
        }
    }

    /** The states of a job that will still run: a sweeper leaves what it is for to it. */
    private static final java.util.Set<StateName> STILL_TO_RUN = java.util.EnumSet.of(
            StateName.AWAITING, StateName.SCHEDULED, StateName.ENQUEUED, StateName.PROCESSING);

    /** Whether a job in {@code state} (from {@link #stateOf}) will still run. */
    public static boolean stillToRun(Optional<StateName> state) {
        return state.isPresent() && STILL_TO_RUN.contains(state.get());
    }

    /** The state of a job, empty when there is no such job (or no storage yet). */
    public Optional<StateName> stateOf(UUID jobId) {
        StorageProvider sp = storage;
        if (sp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(sp.getJobById(jobId).getState());
        } catch (JobNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Removes a job from JobRunr's storage whatever its state, so its id can be used again. */
    public void deletePermanently(UUID jobId) {
        StorageProvider sp = storage;
        if (sp != null) {
            sp.deletePermanently(jobId);
        }
    }

    /**
     * Deletes a job that is still waiting to run (scheduled, or enqueued but not yet fetched), in one statement on
     * JobRunr's table. JobRunr's own delete reads the job, moves it to DELETED and writes it back, JSON and
     * reflection both ways: about a twentieth of the server's CPU per image in a bench profile, spent on a job that
     * has nothing left to do. A job that has started is left alone; it finds its image finished and does nothing.
     * No race with JobRunr's fetch: it selects enqueued jobs FOR UPDATE SKIP LOCKED and moves them to PROCESSING
     * in the same transaction, so this delete either removes a job before it is fetched or, waiting for that row
     * lock, finds it PROCESSING and matches nothing.
     *
     * @return false when the job was not waiting (gone, running or done)
     */
    public boolean dropIfWaiting(UUID jobId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("delete from jobrunr_jobs where id = ? and state in (?, ?)")) {
            st.setString(1, jobId.toString());
            st.setString(2, StateName.SCHEDULED.name());
            st.setString(3, StateName.ENQUEUED.name());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not delete JobRunr job " + jobId, e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        JobRunr.destroy();
    }

    static final class ArcJobActivator implements JobActivator {
        @Override
        public <T> T activateJob(Class<T> type) {
            InstanceHandle<T> handle = Arc.container().instance(type);
            return handle.isAvailable() ? handle.get() : null;
        }
    }
}
