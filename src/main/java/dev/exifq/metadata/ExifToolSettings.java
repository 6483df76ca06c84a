package dev.exifq.metadata;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of an {@link ExifToolPool}. Plain record so the pool can be built and tested without CDI.
 *
 * @param exiftool           path of the {@code exiftool} Perl script (run as {@code perl <exiftool>} unless it is
 *                           directly executable and not a {@code .pl} file)
 * @param poolSize           maximum number of exiftool processes alive at once (callers beyond that wait)
 * @param maxTasksPerProcess a process is retired (gracefully stopped and later replaced) after this many tasks
 * @param taskTimeout        per-task deadline; on expiry the process is killed and the task fails
 * @param retries            how often a task is retried on a fresh process when its process died under it
 *                           (never after a timeout)
 * @param acquireTimeout     how long a caller waits for a free process before {@link ExifToolBusyException}
 */
public record ExifToolSettings(Path exiftool, int poolSize, int maxTasksPerProcess, Duration taskTimeout,
                               int retries, Duration acquireTimeout) {

    public static final int DEFAULT_MAX_TASKS_PER_PROCESS = 5000; // why: ExifToolConfig
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofSeconds(20);
    public static final int DEFAULT_RETRIES = 1;
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);

    public ExifToolSettings {
        Objects.requireNonNull(exiftool, "exiftool");
        Objects.requireNonNull(taskTimeout, "taskTimeout");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1: " + poolSize);
        }
        if (maxTasksPerProcess < 1) {
            throw new IllegalArgumentException("maxTasksPerProcess must be >= 1: " + maxTasksPerProcess);
        }
        if (taskTimeout.isNegative() || taskTimeout.isZero()) {
            throw new IllegalArgumentException("taskTimeout must be positive: " + taskTimeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0: " + retries);
        }
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("acquireTimeout must not be negative: " + acquireTimeout);
        }
    }

    /** Defaults: one process per available processor, 5,000 tasks per process, 20 s per task, 1 retry, 60 s wait. */
    public static ExifToolSettings defaults(Path exiftool) {
        return new ExifToolSettings(exiftool, Runtime.getRuntime().availableProcessors(),
                DEFAULT_MAX_TASKS_PER_PROCESS, DEFAULT_TASK_TIMEOUT, DEFAULT_RETRIES, DEFAULT_ACQUIRE_TIMEOUT);
    }

    public ExifToolSettings withPoolSize(int value) {
        return new ExifToolSettings(exiftool, value, maxTasksPerProcess, taskTimeout, retries, acquireTimeout);
    }

    public ExifToolSettings withMaxTasksPerProcess(int value) {
        return new ExifToolSettings(exiftool, poolSize, value, taskTimeout, retries, acquireTimeout);
    }

    public ExifToolSettings withTaskTimeout(Duration value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, value, retries, acquireTimeout);
    }

    public ExifToolSettings withRetries(int value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, taskTimeout, value, acquireTimeout);
    }

    public ExifToolSettings withAcquireTimeout(Duration value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, taskTimeout, retries, value);
    }
}
