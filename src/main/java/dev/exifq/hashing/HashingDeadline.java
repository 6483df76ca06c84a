package dev.exifq.hashing;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * When one image's hashing must be given up on: waiting for a decode slot and decoding both count. A JDK reader
 * busy in a band is stopped with {@link ImageReader#abort()} and by closing its input under it (the PNG reader
 * checks for an abort only on the rows it keeps, not while it inflates the rows above a band, which for the
 * last band of a giant PNG is nearly the whole file); the native JPEG decoder is not stopped, as it needs at
 * most a few seconds for the largest image allowed.
 */
public final class HashingDeadline {
    /** No deadline: for tests and callers that bound the work themselves. */
    public static final HashingDeadline NONE = new HashingDeadline(Long.MAX_VALUE, null);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hashing-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long deadlineNanos;
    private final Duration limit;

    private HashingDeadline(long deadlineNanos, Duration limit) {
        this.deadlineNanos = deadlineNanos;
        this.limit = limit;
    }

    /** From now; zero or negative means none. */
    public static HashingDeadline after(Duration limit) {
        if (limit == null || limit.isZero() || limit.isNegative()) {
            return NONE;
        }
        return new HashingDeadline(System.nanoTime() + limit.toNanos(), limit);
    }

    public long remainingNanos() {
        return this == NONE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
    }

    public boolean expired() {
        return this != NONE && System.nanoTime() - deadlineNanos >= 0;
    }

    public void check() throws HashingTimeoutException {
        if (expired()) {
            throw timeout();
        }
    }

    public HashingTimeoutException timeout() {
        return new HashingTimeoutException(limit);
    }

    /** Aborts the reader's decoding when the deadline passes; close the returned handle when done. */
    AutoCloseable abortAtDeadline(ImageReader reader) {
        if (this == NONE) {
            return () -> { };
        }
        ScheduledFuture<?> f = TIMER.schedule(() -> {
            reader.abort();
            if (reader.getInput() instanceof ImageInputStream in) {
                try {
                    in.close(); // its next read throws; the hasher then sees the deadline has passed
                } catch (IOException | RuntimeException ignored) {
                    // already closed
                }
            }
        }, remainingNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
