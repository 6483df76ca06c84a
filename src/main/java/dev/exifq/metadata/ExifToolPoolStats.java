package dev.exifq.metadata;

/**
 * Snapshot of an {@link ExifToolPool}'s health and counters (all counters are totals since the pool was built).
 *
 * @param poolSize         configured maximum number of processes
 * @param liveProcesses    exiftool processes currently started and not yet stopped
 * @param busyProcesses    tasks currently running (each on its own process)
 * @param tasksDone        tasks that completed (whatever exiftool said about the file)
 * @param tasksFailed      tasks that ended with an exception (timeout, process died, output too large, start failure)
 * @param timeouts         tasks that ran past the task timeout
 * @param retries          attempts repeated because the process died under a task
 * @param processesStarted processes started (first ones, replacements and retirements' successors)
 * @param retirements      processes stopped gracefully after maxTasksPerProcess tasks
 * @param restarts         processes thrown away because they died, hung or misbehaved (killed and replaced lazily)
 * @param closed           whether {@link ExifToolPool#close()} was called
 */
public record ExifToolPoolStats(int poolSize, int liveProcesses, int busyProcesses, long tasksDone, long tasksFailed,
                                long timeouts, long retries, long processesStarted, long retirements, long restarts,
                                boolean closed) {
}
