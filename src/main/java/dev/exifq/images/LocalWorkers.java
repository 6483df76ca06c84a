package dev.exifq.images;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts accepted images at once on this node. JobRunr's open-source server only sees new jobs when it
 * polls (5 s at best), too slow for synchronous requests; when this pool is full, the job waits for JobRunr.
 */
@ApplicationScoped
public class LocalWorkers {
    private static final Logger LOG = Logger.getLogger(LocalWorkers.class);
    private final ThreadPoolExecutor executor;
    private final ImageProcessor processor;

    public LocalWorkers(IngestSettings settings, ImageProcessor processor) {
        this.processor = processor;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.localWorkers(), settings.localWorkers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, settings.localQueue())),
                r -> {
                    Thread t = new Thread(r, "ingest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** @return false when busy: the JobRunr job will run it instead */
    public boolean offer(String imageId) {
        try {
            executor.execute(() -> {
                try {
                    processor.process(imageId);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Local run of image %s failed; JobRunr will retry it", imageId);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    public int active() {
        return executor.getActiveCount();
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }
}
