package dev.exifq.metadata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One long-lived exiftool process speaking the {@code -stay_open} argfile protocol: either
 * {@code exiftool -stay_open True -@ -} itself or the fork driver ({@link ExifToolPool.Mode}). Not thread-safe for {@link #run}: the pool hands a process to
 * one task at a time. {@link #kill()} may be called from any thread (the pool's watchdog).
 *
 * <p>Framing of a command with id N (N random per process, then incremented):
 * <pre>
 * -echo4
 * {readyN:${status}}      printed to stderr after the command, with exiftool's exit status
 * ...task arguments...
 * -executeN               exiftool prints {readyN} on stdout after the output
 * </pre>
 * stdout is read as bytes by the calling thread up to the {@code {readyN}\n} line; stderr is drained all the time
 * by a daemon thread (so a full pipe never blocks exiftool) and attributed to the command by its marker.
 */
final class ExifToolProcess {

    private static final System.Logger LOG = System.getLogger(ExifToolProcess.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern STDERR_MARKER = Pattern.compile("(.*)\\{ready(\\d+):(\\d+)}");
    /** Printed by the fork driver's child for each command: its pid, so it can be killed with the parent. */
    private static final Pattern FORK_MARKER = Pattern.compile("\\{fork(\\d+):(\\d+)}");
    private static final int MAX_STDERR_CHARS = 256 * 1024;
    /** exiftool flushes stderr before it prints {readyN} on stdout; this only bounds a broken process. */
    private static final long STDERR_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Process process;
    private final long pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final Thread stderrDrainer;

    private final Object errLock = new Object();
    private final StringBuilder errBuf = new StringBuilder();
    private boolean errTruncated;
    private long errExpectedId = -1;
    private Integer errStatus;
    private boolean errEof;

    private long nextId;
    private int tasksRun;
    private volatile boolean killed;
    /** pid of the fork driver's child running the current command, or -1. */
    private volatile long childPid = -1;

    private ExifToolProcess(Process process) {
        this.process = process;
        this.pid = process.pid();
        this.stdin = process.getOutputStream();
        this.stdout = process.getInputStream();
        // 17 digits: {readyN} cannot be guessed by whoever crafted a file's embedded binary data.
        this.nextId = 10_000_000_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 80_000_000_000_000_000L;
        this.stderrDrainer = new Thread(this::drainStderr, "exiftool-stderr-" + pid);
        this.stderrDrainer.setDaemon(true);
        this.stderrDrainer.start();
    }

    static ExifToolProcess start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        // Environment variables that would inject Perl code or change Perl's I/O layers (and so the output).
        for (String var : List.of("PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "PERL_UNICODE", "EXIFTOOL_HOME")) {
            pb.environment().remove(var);
        }
        return new ExifToolProcess(pb.start());
    }

    long pid() {
        return pid;
    }

    int tasksRun() {
        return tasksRun;
    }

    /**
     * The process's resident memory (VmRSS in /proc), or -1 where that cannot be read (not Linux, or gone). Perl
     * keeps what it once allocated, so a file that made it grow leaves it large until it is replaced.
     */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return f.length == 2 && f[1].equals("kB") ? Long.parseLong(f[0]) * 1024 : -1;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Process.isAlive() only turns false once the JDK's reaper thread has collected the exit status, which can lag
     * the kernel by milliseconds; the handle asks the OS directly, so a process killed while idle is seen as dead
     * before a task is written to its pipe.
     */
    boolean isAlive() {
        return !killed && process.isAlive() && process.toHandle().isAlive();
    }

    /**
     * Whether the JDK has seen the process end (or we killed it): no system call, unlike {@link #isAlive()},
     * whose handle reads {@code /proc} (about 0.1 ms of CPU per task when asked on every hand-back).
     */
    boolean exitSeen() {
        return killed || !process.isAlive();
    }

    /** Raw output of one command. */
    record Output(byte[] stdout, String stderr, int status) {
    }

    /** stdout passed the task's cap. */
    static final class OutputLimitException extends Exception {
        final boolean processUsable;

        /** @param processUsable true if the whole output was read (the process is in sync and may be reused) */
        OutputLimitException(String message, boolean processUsable) {
            super(message);
            this.processUsable = processUsable;
        }
    }

    /**
     * Runs one command and waits for its end. An IOException means the process went away (exited, was killed,
     * or its pipes broke); the caller decides whether that was a timeout, a crash or the pool closing.
     */
    Output run(List<String> args, long maxOutputBytes) throws IOException, OutputLimitException {
        long id = nextId++;
        tasksRun++;
        childPid = -1;
        synchronized (errLock) {
            if (errBuf.length() > 0) {
                LOG.log(Level.DEBUG, "exiftool {0}: stderr outside of a command: {1}", String.valueOf(pid),
                        errBuf.toString().strip());
            }
            errBuf.setLength(0);
            errTruncated = false;
            errExpectedId = id;
            errStatus = null;
        }

        StringBuilder cmd = new StringBuilder(256);
        cmd.append("-echo4\n{ready").append(id).append(":${status}}\n");
        for (String arg : args) {
            cmd.append(arg).append('\n');
        }
        cmd.append("-execute").append(id).append('\n');
        stdin.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
        stdin.flush();

        byte[] marker = ("{ready" + id + "}\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = new ByteBuffer();
        byte[] chunk = new byte[64 * 1024];
        while (true) {
            int n = stdout.read(chunk);
            if (n < 0) {
                throw new IOException("exiftool process " + pid + " closed stdout (exit code "
                        + exitCodeOrNull() + ")");
            }
            out.append(chunk, n);
            if (out.endsWith(marker)) {
                break;
            }
            if (out.length() > maxOutputBytes + marker.length) {
                throw new OutputLimitException("exiftool output exceeds " + maxOutputBytes + " bytes", false);
            }
        }
        if (out.length() - marker.length > maxOutputBytes) {
            awaitStderrEnd(id);
            throw new OutputLimitException("exiftool output exceeds " + maxOutputBytes + " bytes", true);
        }
        byte[] result = Arrays.copyOf(out.array(), out.length() - marker.length);

        synchronized (errLock) {
            awaitStderrEnd(id);
            String err = errBuf.toString();
            if (errTruncated) {
                err += "[stderr truncated]\n";
            }
            errBuf.setLength(0);
            errExpectedId = -1;
            return new Output(result, err, errStatus);
        }
    }

    /** Waits for the stderr marker of command {@code id}; afterwards errStatus is set. */
    private void awaitStderrEnd(long id) throws IOException {
        long deadline = System.nanoTime() + STDERR_WAIT_NANOS;
        synchronized (errLock) {
            while (errStatus == null && !errEof) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("exiftool process " + pid + " did not end the stderr of command " + id);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(errLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for exiftool's stderr", e);
                }
            }
            if (errStatus == null) {
                throw new IOException("exiftool process " + pid + " closed stderr during command " + id);
            }
        }
    }

    /** stderr collected so far for the running command (for error reports after a failure). */
    String pendingStderr() {
        synchronized (errLock) {
            return errBuf.toString();
        }
    }

    private void drainStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (errLock) {
                    Matcher fork = FORK_MARKER.matcher(line);
                    if (fork.matches()) {
                        childPid = parseLong(fork.group(2));
                        continue;
                    }
                    Matcher m = STDERR_MARKER.matcher(line);
                    if (m.matches()) {
                        appendErr(m.group(1), false);
                        long id = parseLong(m.group(2));
                        if (id == errExpectedId) {
                            errStatus = (int) Math.min(Integer.MAX_VALUE, parseLong(m.group(3)));
                            errLock.notifyAll();
                        } else {
                            errBuf.setLength(0); // end of a command nobody waits for any more
                        }
                    } else {
                        appendErr(line, true);
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.TRACE, "exiftool {0}: stderr closed: {1}", String.valueOf(pid), e.toString());
        } finally {
            synchronized (errLock) {
                errEof = true;
                errLock.notifyAll();
            }
        }
    }

    private void appendErr(String text, boolean evenIfEmpty) {
        if (text.isEmpty() && !evenIfEmpty) {
            return;
        }
        if (errBuf.length() + text.length() + 1 > MAX_STDERR_CHARS) {
            errTruncated = true;
            return;
        }
        errBuf.append(text).append('\n');
    }

    private static long parseLong(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private Integer exitCodeOrNull() {
        try {
            return process.waitFor(200, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Kills the process and every process it started, at once. Safe from any thread, idempotent. */
    void kill() {
        killed = true;
        List<ProcessHandle> children;
        try {
            children = process.descendants().toList();
        } catch (RuntimeException e) {
            children = List.of();
        }
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        long child = childPid;
        if (child > 0) {
            // the fork driver's child may have outlived its parent (killed from outside): it is no descendant now
            // (a perl process, as a guard against the pid having been reused since)
            ProcessHandle.of(child)
                    .filter(h -> h.info().command().map(c -> c.contains("perl")).orElse(true))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Asks exiftool to exit ({@code -stay_open False}), waits a little, kills it otherwise; releases the pipes. */
    void stop(long waitMillis) {
        if (!killed && process.isAlive()) {
            try {
                stdin.write("-stay_open\nFalse\n".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
            } catch (IOException e) {
                LOG.log(Level.TRACE, "exiftool {0}: could not ask it to stop: {1}", String.valueOf(pid), e.toString());
            }
        }
        closeQuietly(stdin);
        try {
            if (!process.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.DEBUG, "exiftool {0} did not exit within {1} ms: killing it", String.valueOf(pid),
                        waitMillis);
                kill();
                process.waitFor(waitMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        closeQuietly(stdout);
        try {
            stderrDrainer.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process (if still running) and releases its pipes. */
    void discard() {
        kill();
        stop(2000);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to do with a pipe we are giving up
        }
    }

    /** Growable byte array with a cheap suffix test. */
    private static final class ByteBuffer {
        private byte[] data = new byte[8 * 1024];
        private int length;

        void append(byte[] src, int n) {
            if (length + n > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + n));
            }
            System.arraycopy(src, 0, data, length, n);
            length += n;
        }

        boolean endsWith(byte[] suffix) {
            if (length < suffix.length) {
                return false;
            }
            return Arrays.equals(data, length - suffix.length, length, suffix, 0, suffix.length);
        }

        int length() {
            return length;
        }

        byte[] array() {
            return data;
        }
    }
}
