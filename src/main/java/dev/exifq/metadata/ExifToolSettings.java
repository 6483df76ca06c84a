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
 * @param maxResidentBytes   a process is retired when its resident memory, looked at every
 *                           {@link #RESIDENT_CHECK_EVERY} tasks, is above this; 0: never looked at
 */
public record ExifToolSettings(Path exiftool, int poolSize, int maxTasksPerProcess, Duration taskTimeout,
                               int retries, Duration acquireTimeout, long maxResidentBytes) {

    public static final int DEFAULT_MAX_TASKS_PER_PROCESS = 20_000; // why: ExifToolConfig
    public static final long DEFAULT_MAX_RESIDENT_BYTES = 512L * 1024 * 1024;
    /** Tasks between two looks at a process's memory (a read of /proc, about 30 µs). */
    public static final int RESIDENT_CHECK_EVERY = 256;
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
        if (maxResidentBytes < 0) {
            throw new IllegalArgumentException("maxResidentBytes must not be negative: " + maxResidentBytes);
        }
    }

    /**
     * Defaults: one process per available processor, 20,000 tasks or 512 MB resident per process, 20 s per task,
     * 1 retry, 60 s wait.
     */
    public static ExifToolSettings defaults(Path exiftool) {
        return new ExifToolSettings(exiftool, Runtime.getRuntime().availableProcessors(),
                DEFAULT_MAX_TASKS_PER_PROCESS, DEFAULT_TASK_TIMEOUT, DEFAULT_RETRIES, DEFAULT_ACQUIRE_TIMEOUT,
                DEFAULT_MAX_RESIDENT_BYTES);
    }

    public ExifToolSettings withPoolSize(int value) {
        return new ExifToolSettings(exiftool, value, maxTasksPerProcess, taskTimeout,
                retries, acquireTimeout, maxResidentBytes);
    }

    public ExifToolSettings withMaxTasksPerProcess(int value) {
        return new ExifToolSettings(exiftool, poolSize, value, taskTimeout, retries, acquireTimeout, maxResidentBytes);
    }

    public ExifToolSettings withTaskTimeout(Duration value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, value,
                retries, acquireTimeout, maxResidentBytes);
    }

    public ExifToolSettings withRetries(int value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, taskTimeout,
                value, acquireTimeout, maxResidentBytes);
    }

    public ExifToolSettings withAcquireTimeout(Duration value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, taskTimeout,
                retries, value, maxResidentBytes);
    }

    public ExifToolSettings withMaxResidentBytes(long value) {
        return new ExifToolSettings(exiftool, poolSize, maxTasksPerProcess, taskTimeout,
                retries, acquireTimeout, value);
    }
}
