package dev.exifq.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jobrunr.jobs.AbstractJob;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.filters.JobClientFilter;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs by kind on /q/metrics: {@code exifq_jobs_enqueued_total} (created, to run now or scheduled),
 * {@code exifq_jobs_succeeded_total}, {@code exifq_jobs_retried_total} (a run failed and another is scheduled),
 * {@code exifq_jobs_failed_total} (given up after its retries), and {@code exifq_jobs_duration_seconds} (one run,
 * tagged with its outcome, with a histogram for p50/p95). Fed by JobRunr's filters for the runs its workers do, and
 * by {@link #ran} for the runs a node does itself without JobRunr (an image started at once by a local worker).
 * The kind is the job request's class in snake case without "Job": {@code ProcessImageJob} is {@code process_image}.
 */
@ApplicationScoped
public class JobMetrics implements JobClientFilter, JobServerFilter, ApplyStateFilter {
    public enum Outcome { SUCCEEDED, RETRIED, FAILED }

    private final MeterRegistry registry;
    private final Map<UUID, Long> started = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers a kind's counters and timers at zero, so they are on /q/metrics (and rate() over them works)
     * before its first job: call it at start for every kind a replica may see.
     */
    public void declare(String kind) {
        for (String event : List.of("enqueued", "succeeded", "retried", "failed")) {
            counter(kind, event);
        }
        for (Outcome outcome : Outcome.values()) {
            timer(kind, outcome);
        }
    }

    /** A run done without JobRunr: counted and timed like one of its workers' runs. */
    /** @param took null when the run's start is not known here: counted, not timed */
    public void ran(String kind, Outcome outcome, Duration took) {
        counter(kind, outcome.name().toLowerCase(Locale.ROOT)).increment();
        if (took != null) {
            timer(kind, outcome).record(took);
        }
    }

    @Override
    public void onCreated(AbstractJob job) {
        counter(kindOf(job.getJobDetails()), "enqueued").increment();
    }

    @Override
    public void onProcessing(Job job) {
        started.put(job.getId(), System.nanoTime());
    }

    @Override
    public void onProcessingSucceeded(Job job) {
        ended(job, Outcome.SUCCEEDED);
    }

    @Override
    public void onProcessingFailed(Job job, Exception e) {
        // retried or given up: onStateApplied and onFailedAfterRetries tell which, the duration is the same
        Long start = started.remove(job.getId());
        if (start != null) {
            timer(kindOf(job.getJobDetails()), Outcome.FAILED).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public void onFailedAfterRetries(Job job) {
        counter(kindOf(job.getJobDetails()), "failed").increment();
    }

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        // JobRunr's RetryFilter turns a failed run into a scheduled retry
        if (oldState != null && oldState.getName() == StateName.FAILED && newState.getName() == StateName.SCHEDULED) {
            counter(kindOf(job.getJobDetails()), "retried").increment();
        }
    }

    private void ended(Job job, Outcome outcome) {
        Long start = started.remove(job.getId());
        String kind = kindOf(job.getJobDetails());
        counter(kind, outcome.name().toLowerCase(Locale.ROOT)).increment();
        if (start != null) {
            timer(kind, outcome).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Counter counter(String kind, String event) {
        return Counter.builder("exifq.jobs." + event).tag("kind", kind)
                .description("jobs " + event + ", by kind").register(registry);
    }

    private Timer timer(String kind, Outcome outcome) {
        return Timer.builder("exifq.jobs.duration").tag("kind", kind)
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .description("how long one run of a job took, by kind and outcome")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
    }

    /** {@code ProcessImageJob} (a JobRequest, run by its handler's {@code run}) is {@code process_image}. */
    static String kindOf(JobDetails details) {
        List<JobParameter> parameters = details.getJobParameters();
        String className = "run".equals(details.getMethodName()) && parameters.size() == 1
                ? parameters.get(0).getClassName() : details.getClassName();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        if (simple.endsWith("Job") && simple.length() > 3) {
            simple = simple.substring(0, simple.length() - 3);
        }
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
