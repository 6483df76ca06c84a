package dev.exifq.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code exifq_jobs_queue_depth} (jobs ENQUEUED, waiting for any replica's worker) and
 * {@code exifq_jobs_queue_oldest_age_seconds} (how long the longest of them has waited), for alerts and dashboards.
 * One indexed query on JobRunr's table every 15 s, not one per scrape: a scrape never waits for the database.
 * (KEDA scales workers with the same count, reading the table itself: k8s/base/worker-scaledobject.yaml.)
 */
@ApplicationScoped
public class QueueMetrics {
    private static final Logger LOG = Logger.getLogger(QueueMetrics.class);

    private final DataSource dataSource;
    private volatile long depth;
    private volatile double oldestAgeSeconds;

    public QueueMetrics(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        Gauge.builder("exifq.jobs.queue.depth", this, q -> q.depth)
                .description("jobs enqueued and not yet taken by a worker").register(registry);
        Gauge.builder("exifq.jobs.queue.oldest.age", this, q -> q.oldestAgeSeconds).baseUnit("seconds")
                .description("how long the oldest enqueued job has waited").register(registry);
    }

    @Scheduled(every = "${exifq.jobs.queue-metrics-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "select count(*), min(updatedAt) from jobrunr_jobs where state = 'ENQUEUED'");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            depth = rs.getLong(1);
            Timestamp oldest = rs.getTimestamp(2);
            oldestAgeSeconds = oldest == null ? 0
                    : Math.max(0, Duration.between(oldest.toInstant(), Instant.now()).toMillis() / 1000.0);
        } catch (SQLException e) {
            LOG.debugf(e, "Could not read the job queue's depth"); // JobRunr's tables may not exist yet at start
        }
    }
}
