package dev.exifq.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * stdout is read as bytes by the calling thread up to the {@code {readyN}\n} line. stderr goes to a file that
 * was deleted as soon as both sides had it open (so nothing is left behind, even by a killed JVM): exiftool appends,
 * a file never fills up the way a pipe does, and the calling thread reads the command's part of it once stdout has
 * ended, by position, up to the {@code {readyN:status}} line. A thread draining a pipe woke once per command for that
 * line (0.13 ms of CPU per image under ingest, README, Benchmarks).
 */
final class ExifToolProcess {

    private static final System.Logger LOG = System.getLogger(ExifToolProcess.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Printed by the fork driver's child for each command: its pid, so it can be killed with the parent. */
    private static final Pattern FORK_MARKER = Pattern.compile("\\{fork(\\d+):(\\d+)}");
    private static final Pattern FORK_LINE = Pattern.compile("(?m)^\\{fork\\d+:\\d+}\n");
    private static final int MAX_STDERR_CHARS = 256 * 1024;
    /** exiftool writes stderr (unbuffered) before it prints {readyN} on stdout; this only bounds a broken process. */
    private static final long STDERR_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The stderr file is emptied between commands once it is this long. */
    private static final long STDERR_FILE_RESET = 1024 * 1024;

    private final Process process;
    private final long pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    /** exiftool's stderr (a deleted file): read by position only, so {@link #kill()} may read it from any thread. */
    private final FileChannel stderr;
    /** Where the running (or next) command's stderr starts in {@link #stderr}. */
    private volatile long stderrFrom;

    private long nextId;
    private int tasksRun;
    private volatile boolean killed;

    private ExifToolProcess(Process process, FileChannel stderr) {
        this.process = process;
        this.pid = process.pid();
        this.stdin = process.getOutputStream();
        this.stdout = process.getInputStream();
        this.stderr = stderr;
        // 17 digits: {readyN} cannot be guessed by whoever crafted a file's embedded binary data.
        this.nextId = 10_000_000_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 80_000_000_000_000_000L;
    }

    static ExifToolProcess start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        // Environment variables that would inject Perl code or change Perl's I/O layers (and so the output).
        for (String var : List.of("PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "PERL_UNICODE", "EXIFTOOL_HOME")) {
            pb.environment().remove(var);
        }
        Path errFile = Files.createTempFile("exifq-exiftool-", ".stderr"); // owner-only
        try {
            pb.redirectError(ProcessBuilder.Redirect.appendTo(errFile.toFile()));
            FileChannel err = FileChannel.open(errFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                return new ExifToolProcess(pb.start(), err);
            } catch (IOException | RuntimeException e) {
                err.close();
                throw e;
            }
        } finally {
            Files.deleteIfExists(errFile);
        }
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
        long errEnd = stderr.size();
        if (errEnd > stderrFrom) {
            LOG.log(Level.DEBUG, "exiftool {0}: stderr outside of a command: {1}", String.valueOf(pid),
                    stderrText(stderrFrom, errEnd).text().strip());
        }
        stderrFrom = errEnd;

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
        StderrEnd end = awaitStderrEnd(id);
        return new Output(result, end.text(), end.status());
    }

    /** The command's stderr, without its marker line, and the exit status that line carries. */
    private record StderrEnd(String text, int status) {}

    /**
     * Reads the command's stderr up to its {@code {readyN:status}} line, and moves past it. exiftool has written
     * that line before {readyN} on stdout, so it is normally there at the first look.
     */
    private StderrEnd awaitStderrEnd(long id) throws IOException {
        byte[] marker = ("{ready" + id + ":").getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + STDERR_WAIT_NANOS;
        while (true) {
            long size = stderr.size();
            // the marker line is the last thing exiftool wrote for this command: look at the end only
            int tailLength = (int) Math.min(size - stderrFrom, marker.length + 32);
            byte[] tail = read(size - tailLength, tailLength);
            int at = lastIndexOf(tail, marker);
            int close = at < 0 ? -1 : indexOf(tail, (byte) '}', at + marker.length);
            if (close > 0) {
                long markerAt = size - tailLength + at;
                StderrText text = stderrText(stderrFrom, markerAt);
                int status = (int) Math.min(Integer.MAX_VALUE,
                        parseLong(new String(tail, at + marker.length, close - at - marker.length, StandardCharsets.US_ASCII)));
                stderrFrom = size;
                if (size >= STDERR_FILE_RESET) {
                    stderr.truncate(0); // exiftool is idle between commands, and appends wherever the end is
                    stderrFrom = 0;
                }
                String err = text.text();
                if (!err.isEmpty() && !err.endsWith("\n")) {
                    err += "\n"; // what the marker line began with
                }
                return new StderrEnd(text.truncated() ? err + "[stderr truncated]\n" : err, status);
            }
            if (exitSeen()) {
                throw new IOException("exiftool process " + pid + " closed stderr during command " + id);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("exiftool process " + pid + " did not end the stderr of command " + id);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** stderr between two positions, as text, without the fork driver's lines, cut at {@link #MAX_STDERR_CHARS}. */
    private record StderrText(String text, boolean truncated) {}

    private StderrText stderrText(long from, long to) throws IOException {
        boolean truncated = to - from > MAX_STDERR_CHARS;
        String text = new String(read(from, (int) Math.min(to - from, MAX_STDERR_CHARS)), StandardCharsets.UTF_8);
        if (truncated) {
            int lastLine = text.lastIndexOf('\n');
            text = lastLine < 0 ? "" : text.substring(0, lastLine + 1);
        }
        if (text.indexOf("{fork") >= 0) {
            text = FORK_LINE.matcher(text).replaceAll("");
        }
        return new StderrText(text, truncated);
    }

    private byte[] read(long position, int length) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(Math.max(0, length));
        while (buffer.hasRemaining()) {
            if (stderr.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static int lastIndexOf(byte[] data, byte[] part) {
        for (int i = data.length - part.length; i >= 0; i--) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** How long the stderr file is now (it is emptied between commands once long): -1 when it cannot be read. */
    long stderrFileBytes() {
        try {
            return stderr.size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** stderr written so far for the running command (for error reports after a failure). */
    String pendingStderr() {
        try {
            StderrText text = stderrText(stderrFrom, stderr.size());
            return text.truncated() ? text.text() + "[stderr truncated]\n" : text.text();
        } catch (IOException e) {
            return "";
        }
    }

    /** The fork driver's child running the current command, from its {forkN:pid} line; -1 when there is none. */
    private long forkChild() {
        try {
            long size = stderr.size();
            long from = Math.max(stderrFrom, size - MAX_STDERR_CHARS);
            Matcher m = FORK_MARKER.matcher(new String(read(from, (int) (size - from)), StandardCharsets.UTF_8));
            long child = -1;
            while (m.find()) {
                child = parseLong(m.group(2));
            }
            return child;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
        long child = forkChild();
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
        closeQuietly(stderr);
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
