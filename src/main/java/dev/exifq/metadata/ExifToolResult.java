package dev.exifq.metadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Output of one task: stdout as raw bytes (exiftool prints UTF-8 text, or binary with {@code -b}) without the
 * {@code {readyNUM}} marker, stderr as text, and exiftool's exit status for the command (0 ok, 1 error,
 * 2 all files failed an {@code -if} condition).
 */
public final class ExifToolResult {

    private final byte[] stdout;
    private final String stderr;
    private final int status;
    private final long pid;
    private final int attempts;
    private final Duration elapsed;

    ExifToolResult(byte[] stdout, String stderr, int status, long pid, int attempts, Duration elapsed) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.status = status;
        this.pid = pid;
        this.attempts = attempts;
        this.elapsed = elapsed;
    }

    /** The raw stdout bytes (not copied: do not modify). */
    public byte[] stdout() {
        return stdout;
    }

    /** stdout decoded as UTF-8 (exiftool's default output charset). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stderr of this command (errors such as "Error: File not found - ..."), possibly empty. */
    public String stderr() {
        return stderr;
    }

    /** exiftool's exit status for this command: 0 success, 1 error, 2 condition (-if) failed. */
    public int status() {
        return status;
    }

    /** Process id of the exiftool process that ran the successful attempt. */
    public long pid() {
        return pid;
    }

    /** 1, or more when the task was retried after its process died. */
    public int attempts() {
        return attempts;
    }

    /** Wall time of the successful attempt (excluding waiting for a free process). */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "ExifToolResult[stdout=" + stdout.length + " bytes, status=" + status + ", pid=" + pid
                + ", attempts=" + attempts + ", elapsed=" + elapsed.toMillis() + "ms, stderr=" + stderr.strip() + "]";
    }
}
