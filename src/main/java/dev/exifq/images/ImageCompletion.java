package dev.exifq.images;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a synchronous request wait for its image. Runs on this node signal at once; a run on another
 * replica is seen by re-reading the row every {@link #POLL}.
 */
@ApplicationScoped
public class ImageCompletion {
    private static final Duration POLL = Duration.ofMillis(500);
    private final ConcurrentHashMap<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final ImageClaims claims;

    public ImageCompletion(ImageClaims claims) {
        this.claims = claims;
    }

    public void finished(String imageId) {
        CompletableFuture<Void> f = waiting.remove(imageId);
        if (f != null) {
            f.complete(null);
        }
    }

    /** The image once finished, or its current state when the timeout passes first. */
    public Optional<Image> await(String imageId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        CompletableFuture<Void> signal = waiting.computeIfAbsent(imageId, k -> new CompletableFuture<>());
        try {
            while (true) {
                Optional<Image> image = claims.load(imageId);
                if (image.isEmpty() || image.get().isFinished()) {
                    return image;
                }
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    return image;
                }
                try {
                    signal.get(Math.min(left, POLL.toMillis()), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // re-read the row: another replica may have finished it
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return claims.load(imageId);
        } finally {
            waiting.remove(imageId, signal);
        }
    }
}
