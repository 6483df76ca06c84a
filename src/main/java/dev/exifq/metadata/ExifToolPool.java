package dev.exifq.metadata;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of long-lived exiftool processes speaking the {@code -stay_open} argfile protocol (after
 * photostructure's batch-cluster as used by exiftool-vendored.js). Plain Java: no CDI, no Quarkus. See
 * {@link Mode} for the two ways a process runs exiftool.
 *
 * <ul>
 *   <li>At most {@code poolSize} processes exist, whatever the number of calling threads: a caller waits up to
 *       {@code acquireTimeout} for a free one ({@link ExifToolBusyException} otherwise). Processes start lazily
 *       (with a {@code -ver} handshake) and are reused, most recently used first.</li>
 *   <li>A process is retired gracefully ({@code -stay_open False}) after {@code maxTasksPerProcess} tasks.</li>
 *   <li>Each task has {@code taskTimeout}: on expiry its process (and its children) is killed, the task fails with
 *       {@link ExifToolTimeoutException}, and the next task gets a fresh process. Timeouts are never retried.</li>
 *   <li>A process that dies under a task (crash, killed from outside, broken pipe) is replaced and the task is
 *       retried up to {@code retries} times; then {@link ExifToolProcessDiedException}. A process found dead while
 *       idle is replaced silently.</li>
 *   <li>Arguments are validated by {@link ExifToolTask} (and again here) before anything is written.</li>
 * </ul>
 * Thread-safe. {@link #close()} stops everything.
 */
public final class ExifToolPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExifToolPool.class.getName());
    private static final Duration MIN_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_WAIT_MILLIS = 5000;
    /** The start-up handshake, built as a task so its arguments are the same list class as every other task's. */
    private static final ExifToolTask VERSION = ExifToolTask.builder().option("-ver").build();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final ExifToolSettings settings;
    private final List<String> command;
    private final Semaphore permits;
    private final Object lock = new Object();
    private final Deque<ExifToolProcess> idle = new ArrayDeque<>(); // guarded by lock
    private final Set<ExifToolProcess> live = ConcurrentHashMap.newKeySet();
    /**
     * Looks at the running tasks' deadlines every {@link #WATCHDOG_TICK_MILLIS}. A timer per task (scheduled, then
     * cancelled when the task ended, milliseconds later) woke this thread once per task, for a deadline that had
     * nearly always been cancelled: 0.08-0.14 ms of CPU per image under ingest (README, Benchmarks).
     */
    private final ScheduledExecutorService watchdog;
    private static final long WATCHDOG_TICK_MILLIS = 100;
    /**
     * A command's stderr goes to a file (ExifToolProcess); one that writes more than this to it is killed at the
     * watchdog's next look, so a hostile file cannot fill the disk before its deadline.
     */
    private static final long MAX_STDERR_FILE_BYTES = 64L * 1024 * 1024;
    /** The deadline of the task each busy process runs. */
    private final Map<ExifToolProcess, Alarm> alarms = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile String version;

    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong tasksDone = new AtomicLong();
    private final AtomicLong tasksFailed = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong processesStarted = new AtomicLong();
    private final AtomicLong retirements = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();

    /**
     * How each process runs exiftool. Both speak exiftool's {@code -stay_open} argfile protocol and are handled
     * the same way by the pool (timeouts, retries, retirement, argument checks).
     */
    public enum Mode {
        /**
         * {@code perl -e <fork driver> <exiftool>}: a long-lived Perl parent with Image::ExifTool compiled once
         * forks a child per task that runs the exiftool script; every task therefore sees a freshly started
         * exiftool and prints byte-for-byte what a one-off {@code exiftool} run prints. The one-argument
         * constructor's mode (the reference-parity tests use it); the service runs {@link #STAY_OPEN}. Costs the
         * compilation of the script and of the format's modules per task (about 110 ms a file here, against
         * 210 ms for a one-off run and 30 ms for {@link #STAY_OPEN}).
         */
        FORK_PER_TASK,
        /**
         * {@code perl <exiftool> -config "" -stay_open True -@ -}, the exiftool-vendored model: fastest, same
         * tags and values, but the key order of the Composite group depends on which files the process read
         * before (modules loaded for earlier files add Composite tag definitions that defer others), so the
         * text is not always what a one-off run prints. The service's default ({@code exifq.exiftool.mode}).
         */
        STAY_OPEN
    }

    private final Mode mode;

    /** A pool in {@link Mode#FORK_PER_TASK} mode (exact one-off exiftool output). */
    public ExifToolPool(ExifToolSettings settings) {
        this(settings, Mode.FORK_PER_TASK);
    }

    public ExifToolPool(ExifToolSettings settings, Mode mode) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mode = Objects.requireNonNull(mode, "mode");
        String exiftool = settings.exiftool().toAbsolutePath().toString();
        this.command = switch (mode) {
            // -config "" (must come first): no user config file can add or change tags.
            case STAY_OPEN -> List.of("perl", exiftool, "-config", "", "-stay_open", "True", "-@", "-");
            case FORK_PER_TASK -> List.of("perl", "-e", forkDriver(), exiftool);
        };
        this.permits = new Semaphore(settings.poolSize(), true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "exiftool-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::killOverdue, WATCHDOG_TICK_MILLIS, WATCHDOG_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    public ExifToolSettings settings() {
        return settings;
    }

    public Mode mode() {
        return mode;
    }

    private static String forkDriver() {
        try (var in = ExifToolPool.class.getResourceAsStream("exiftool-fork.pl")) {
            if (in == null) {
                throw new IllegalStateException("resource exiftool-fork.pl missing");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Runs one task on a free process and returns its output. exiftool reporting a problem with the file
     * (unknown type, file not found, ...) is a normal result: see {@link ExifToolResult#status()} and stderr.
     *
     * @throws ExifToolTimeoutException      the task ran past the task timeout (not retried)
     * @throws ExifToolProcessDiedException  the process died under the task on every allowed attempt
     * @throws ExifToolBusyException         no process became free within the acquire timeout
     * @throws ExifToolException             other failures (start failure, output too large, interrupted)
     * @throws IllegalArgumentException      an argument is refused (nothing was written)
     * @throws IllegalStateException         the pool is closed
     */
    public ExifToolResult execute(ExifToolTask task) {
        Objects.requireNonNull(task, "task");
        for (String arg : task.args()) {
            ExifToolTask.checkArgument(arg); // already checked by the builder; cheap second line of defence
        }
        ensureOpen();
        acquirePermit();
        busy.incrementAndGet();
        try {
            for (int attempt = 1; ; attempt++) {
                ensureOpen();
                ExifToolProcess process = takeOrStart();
                long started = System.nanoTime();
                ExifToolProcess.Output out;
                try {
                    out = runWithDeadline(process, task.args(), task.maxOutputBytes(), settings.taskTimeout());
                } catch (ProcessGone e) {
                    discard(process);
                    if (closed) {
                        tasksFailed.incrementAndGet();
                        throw new ExifToolException("exiftool pool closed while the task was running",
                                e.stderr, e.getCause());
                    }
                    if (attempt <= settings.retries()) {
                        retries.incrementAndGet();
                        LOG.log(Level.WARNING, "exiftool process {0} died under a task, retrying on a new process"
                                + " (attempt {1}): {2}", String.valueOf(process.pid()), attempt + 1, e.getMessage());
                        continue;
                    }
                    tasksFailed.incrementAndGet();
                    throw new ExifToolProcessDiedException("exiftool process " + process.pid()
                            + " died under the task after " + attempt + " attempt(s): " + e.getMessage(),
                            e.stderr, e.getCause());
                } catch (OutputTooLarge e) {
                    if (e.processUsable) {
                        giveBack(process);
                    } else {
                        discard(process);
                    }
                    tasksFailed.incrementAndGet();
                    throw e;
                } catch (RuntimeException e) {
                    discard(process);
                    if (e instanceof ExifToolTimeoutException) {
                        timeouts.incrementAndGet();
                    }
                    tasksFailed.incrementAndGet();
                    throw e;
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                tasksDone.incrementAndGet();
                giveBack(process);
                return new ExifToolResult(out.stdout(), out.stderr(), out.status(), process.pid(), attempt, elapsed);
            }
        } finally {
            busy.decrementAndGet();
            permits.release();
        }
    }

    /** exiftool's version ({@code -ver}), asked once and cached. */
    public String version() {
        String v = version;
        if (v == null) {
            v = execute(VERSION).stdoutText().strip();
            version = v;
        }
        return v;
    }

    public ExifToolPoolStats stats() {
        return new ExifToolPoolStats(settings.poolSize(), live.size(), busy.get(), tasksDone.get(), tasksFailed.get(),
                timeouts.get(), retries.get(), processesStarted.get(), retirements.get(), restarts.get(), closed);
    }

    /** Process ids of the live exiftool processes (for health output and tests). */
    public List<Long> processIds() {
        List<Long> pids = new ArrayList<>();
        for (ExifToolProcess p : live) {
            pids.add(p.pid());
        }
        return pids;
    }

    /**
     * Stops idle processes gracefully, gives running tasks a few seconds, then kills what is left. Idempotent.
     * Tasks still running when their process is killed fail with {@link ExifToolException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ExifToolProcess> toStop;
        synchronized (lock) {
            toStop = new ArrayList<>(idle);
            idle.clear();
        }
        for (ExifToolProcess p : toStop) {
            stopAndForget(p);
        }
        boolean drained = false;
        try {
            drained = permits.tryAcquire(settings.poolSize(), CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ExifToolProcess p : new ArrayList<>(live)) {
            LOG.log(Level.DEBUG, "closing pool: killing exiftool process {0}", String.valueOf(p.pid()));
            p.kill();
        }
        if (drained) {
            permits.release(settings.poolSize());
        }
        watchdog.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("exiftool pool is closed");
        }
    }

    private void acquirePermit() {
        boolean ok;
        try {
            ok = permits.tryAcquire(settings.acquireTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExifToolException("interrupted while waiting for a free exiftool process", e);
        }
        if (!ok) {
            throw new ExifToolBusyException("no exiftool process free within " + settings.acquireTimeout()
                    + " (pool size " + settings.poolSize() + ")");
        }
    }

    /** Called with a permit held: a healthy idle process, or a new one (never more than poolSize in total). */
    private ExifToolProcess takeOrStart() {
        while (true) {
            ExifToolProcess p;
            synchronized (lock) {
                p = idle.pollFirst();
            }
            if (p == null) {
                return startProcess();
            }
            if (p.isAlive()) {
                return p;
            }
            LOG.log(Level.WARNING, "exiftool process {0} died while idle; replacing it", String.valueOf(p.pid()));
            discard(p);
        }
    }

    private ExifToolProcess startProcess() {
        ExifToolProcess p;
        try {
            p = ExifToolProcess.start(command);
        } catch (IOException e) {
            tasksFailed.incrementAndGet();
            throw new ExifToolException("cannot start exiftool (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        live.add(p);
        processesStarted.incrementAndGet();
        Duration startup = settings.taskTimeout().compareTo(MIN_STARTUP_TIMEOUT) > 0
                ? settings.taskTimeout() : MIN_STARTUP_TIMEOUT;
        try {
            ExifToolProcess.Output out = runWithDeadline(p, VERSION.args(), 4096, startup);
            String v = new String(out.stdout(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!v.matches("\\d+\\.\\d+.*")) {
                throw new ExifToolException("unexpected answer to -ver: " + v, out.stderr(), null);
            }
            if (version == null) {
                version = v;
            }
            LOG.log(Level.DEBUG, "started exiftool {0} as process {1}", v, String.valueOf(p.pid()));
            return p;
        } catch (ProcessGone | ExifToolException e) {
            p.discard();
            live.remove(p);
            tasksFailed.incrementAndGet();
            String stderr = e instanceof ProcessGone g ? g.stderr : ((ExifToolException) e).stderr();
            throw new ExifToolException("exiftool did not start (" + String.join(" ", command) + "): "
                    + e.getMessage() + (stderr == null || stderr.isBlank() ? "" : "; stderr: " + stderr.strip()),
                    stderr, e);
        }
    }

    /**
     * Runs on {@code p} with a watchdog that kills the process at the deadline. Exactly one of: output,
     * {@link ProcessGone} (died on its own), {@link ExifToolTimeoutException}, or {@link ExifToolException}.
     */
    private ExifToolProcess.Output runWithDeadline(ExifToolProcess p, List<String> args, long maxOutputBytes,
                                                   Duration timeout) throws ProcessGone {
        if (watchdog.isShutdown()) {
            throw new IllegalStateException("exiftool pool is closed");
        }
        AtomicInteger state = new AtomicInteger(RUNNING);
        Alarm alarm = new Alarm(System.nanoTime() + timeout.toNanos(), timeout, state);
        alarms.put(p, alarm);
        try {
            ExifToolProcess.Output out = p.run(args, maxOutputBytes);
            if (!state.compareAndSet(RUNNING, DONE)) {
                throw timeout(timeout, p);
            }
            return out;
        } catch (IOException e) {
            if (state.get() == TIMED_OUT || !state.compareAndSet(RUNNING, DONE)) {
                throw timeout(timeout, p);
            }
            throw new ProcessGone(e.getMessage(), p.pendingStderr(), e);
        } catch (ExifToolProcess.OutputLimitException e) {
            if (!state.compareAndSet(RUNNING, DONE)) {
                throw timeout(timeout, p);
            }
            throw new OutputTooLarge(e.getMessage(), p.pendingStderr(), e, e.processUsable);
        } finally {
            alarms.remove(p, alarm);
        }
    }

    /** A task's deadline; the watchdog kills its process once it is due, unless the task ended first. */
    private record Alarm(long dueNanos, Duration timeout, AtomicInteger state) {}

    private void killOverdue() {
        long now = System.nanoTime();
        alarms.forEach((p, alarm) -> {
            if (now - alarm.dueNanos() >= 0 && alarm.state().compareAndSet(RUNNING, TIMED_OUT)) {
                LOG.log(Level.WARNING, "exiftool task timed out after {0} ms: killing process {1}",
                        alarm.timeout().toMillis(), String.valueOf(p.pid()));
                kill(p);
            } else if (p.stderrFileBytes() > MAX_STDERR_FILE_BYTES && alarms.remove(p, alarm)) {
                LOG.log(Level.WARNING, "exiftool process {0} wrote over {1} MB to stderr in one task: killing it",
                        String.valueOf(p.pid()), MAX_STDERR_FILE_BYTES >> 20);
                kill(p); // the task fails as a process that died under it; its alarm is gone, so this happens once
            }
        });
    }

    private static void kill(ExifToolProcess p) {
        try {
            p.kill();
        } catch (RuntimeException e) { // an exception would end the watchdog's periodic looks for good
            LOG.log(Level.ERROR, "could not kill exiftool process " + p.pid(), e);
        }
    }

    private static ExifToolTimeoutException timeout(Duration timeout, ExifToolProcess p) {
        return new ExifToolTimeoutException("exiftool task timed out after " + timeout.toMillis()
                + " ms; killed process " + p.pid(), p.pendingStderr());
    }

    /** After a successful task: back to the idle stack, or retired when it has done its share, or stopped. */
    private void giveBack(ExifToolProcess p) {
        if (closed) {
            stopAndForget(p);
        } else if (dueForRetirement(p)) {
            retirements.incrementAndGet();
            stopAndForget(p);
        } else if (p.exitSeen()) { // it has just answered; takeOrStart asks the OS before its next task
            discard(p);
        } else {
            synchronized (lock) {
                idle.addFirst(p);
            }
        }
    }

    /**
     * Whether the process has done its share of tasks, or holds more memory than allowed (looked at every {@link
     * ExifToolSettings#RESIDENT_CHECK_EVERY} tasks: a /proc read); logs which.
     */
    private boolean dueForRetirement(ExifToolProcess p) {
        int tasks = p.tasksRun() - 1; // the -ver handshake is not a task
        if (tasks >= settings.maxTasksPerProcess()) {
            LOG.log(Level.DEBUG, "retiring exiftool process {0} after {1} tasks", String.valueOf(p.pid()), tasks);
            return true;
        }
        if (settings.maxResidentBytes() <= 0 || p.tasksRun() % ExifToolSettings.RESIDENT_CHECK_EVERY != 0) {
            return false;
        }
        long resident = p.residentBytes();
        if (resident <= settings.maxResidentBytes()) {
            return false;
        }
        LOG.log(Level.INFO, "retiring exiftool process {0} after {1} tasks: {2} MB resident",
                String.valueOf(p.pid()), tasks, resident >> 20);
        return true;
    }

    private void stopAndForget(ExifToolProcess p) {
        try {
            p.stop(STOP_WAIT_MILLIS);
        } finally {
            live.remove(p);
        }
    }

    /** A process that died, hung or misbehaved: kill it for sure and forget it; the next task starts a new one. */
    private void discard(ExifToolProcess p) {
        restarts.incrementAndGet();
        try {
            p.discard();
        } finally {
            live.remove(p);
        }
    }

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;

    /** stdout passed the task's cap (the process is killed unless the whole output had been read). */
    private static final class OutputTooLarge extends ExifToolException {
        final transient boolean processUsable;

        OutputTooLarge(String message, String stderr, Throwable cause, boolean processUsable) {
            super(message, stderr, cause);
            this.processUsable = processUsable;
        }
    }

    /** The process ended under a task on its own (not by our watchdog). Internal: may lead to a retry. */
    private static final class ProcessGone extends Exception {
        final String stderr;

        ProcessGone(String message, String stderr, Throwable cause) {
            super(message, cause);
            this.stderr = stderr;
        }
    }
}
