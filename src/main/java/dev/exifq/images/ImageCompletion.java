package dev.exifq.images;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells waiters that an image changed status on this node (claimed, released for a retry, finished). Runs on
 * another replica are not signalled here: waiters re-read the row (this class every {@link #POLL},
 * {@link ImageWaits} every second for all its waiters at once).
 */
@ApplicationScoped
public class ImageCompletion {
    private static final Duration POLL = Duration.ofMillis(500);
    // one future per waiter, so that a waiter leaving never takes the signal away from the others
    private final ConcurrentHashMap<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final OwnedImages images;

    public ImageCompletion(OwnedImages images) {
        this.images = images;
    }

    public void finished(String imageId) {
        changed(imageId);
    }

    /** The image's status changed on this node. */
    public void changed(String imageId) {
        Set<CompletableFuture<Void>> signals = waiting.remove(imageId);
        if (signals != null) {
            signals.forEach(f -> f.complete(null));
        }
    }

    /** Completes at the next change of the image on this node; {@link #forget} it when no longer waiting. */
    CompletableFuture<Void> next(String imageId) {
        CompletableFuture<Void> signal = new CompletableFuture<>();
        waiting.compute(imageId, (id, signals) -> {
            Set<CompletableFuture<Void>> s = signals == null ? ConcurrentHashMap.newKeySet() : signals;
            s.add(signal);
            return s;
        });
        return signal;
    }

    void forget(String imageId, CompletableFuture<Void> signal) {
        waiting.computeIfPresent(imageId, (id, signals) -> {
            signals.remove(signal);
            return signals.isEmpty() ? null : signals;
        });
    }

    /** The image once finished, or its current state when the timeout passes first. Blocks the calling thread. */
    public Optional<Image> await(String imageId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            CompletableFuture<Void> signal = next(imageId); // before the read, so no change slips in between
            try {
                Optional<Image> image = images.byId(imageId);
                if (image.isEmpty() || image.get().isFinished()) {
                    return image;
                }
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    return image;
                }
                signal.get(Math.min(left, POLL.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // re-read the row: another replica may have finished it
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return images.byId(imageId);
            } finally {
                forget(imageId, signal);
            }
        }
    }
}
