package dev.exifq.jobs;

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
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * JobRunr core wired by hand (its Quarkus extension is not served at a current version): storage in our
 * PostgreSQL, jobs resolved as CDI beans, and a background server in every replica unless switched off.
 */
@ApplicationScoped
public class JobRunrSetup {
    private static final Logger LOG = Logger.getLogger(JobRunrSetup.class);

    private final DataSource dataSource;
    private final boolean serverEnabled;
    private final int workers;
    private final Duration pollInterval;

    public JobRunrSetup(DataSource dataSource,
                        @ConfigProperty(name = "exifq.jobs.server-enabled", defaultValue = "true") boolean serverEnabled,
                        @ConfigProperty(name = "exifq.jobs.workers", defaultValue = "0") int workers,
                        @ConfigProperty(name = "exifq.jobs.poll-interval", defaultValue = "5s") Duration pollInterval) {
        this.dataSource = dataSource;
        this.serverEnabled = serverEnabled;
        this.workers = workers;
        this.pollInterval = pollInterval;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        BackgroundJobServerConfiguration server = BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(pollInterval);
        if (workers > 0) {
            server = server.andWorkerCount(workers);
        }
        JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(new PostgresStorageProvider(dataSource))
                .useJobActivator(new ArcJobActivator())
                .useBackgroundJobServerIf(serverEnabled, server)
                .initialize();
        LOG.infof("JobRunr started (background server %s, poll every %s)", serverEnabled ? "on" : "off", pollInterval);
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
