package dev.exifq.images;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Waits for an image's status to change without a thread or a database connection per waiter: a change on this
 * node arrives from {@link ImageCompletion}; one on another replica is found by one query a second for all
 * waiters together.
 */
@ApplicationScoped
public class ImageWaits {
    private static final Logger LOG = Logger.getLogger(ImageWaits.class);
    private static final long CHECK_MILLIS = 1000;
    private static final int IDS_PER_QUERY = 1000;

    private record Waiter(String imageId, String status, CompletableFuture<Void> signal) {}

    private final ImageCompletion completion;
    private final EntityManager em;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService checker;

    public ImageWaits(ImageCompletion completion, EntityManager em) {
        this.completion = completion;
        this.em = em;
    }

    @PostConstruct
    void start() {
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "image-waits");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::checkOtherReplicas, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Completes when the image may no longer have {@code status} (a change on this node, a different status
     * or no row in the database) or when {@code max} passes; the caller reads the row again to know which.
     */
    public CompletionStage<Void> change(String imageId, String status, Duration max) {
        CompletableFuture<Void> signal = completion.next(imageId);
        Waiter waiter = new Waiter(imageId, status, signal);
        waiters.add(waiter);
        signal.completeOnTimeout(null, Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
        return signal.whenComplete((v, e) -> {
            waiters.remove(waiter);
            completion.forget(imageId, signal);
        });
    }

    private void checkOtherReplicas() {
        try {
            if (waiters.isEmpty()) {
                return;
            }
            List<String> ids = waiters.stream().map(Waiter::imageId).distinct().toList();
            Map<String, String> statuses = new HashMap<>();
            for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
                statuses.putAll(statuses(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY))));
            }
            for (Waiter w : waiters) {
                if (!Objects.equals(w.status(), statuses.get(w.imageId()))) {
                    w.signal().complete(null);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not check the status of waited-on images; retrying in %d ms", CHECK_MILLIS);
        }
    }

    private Map<String, String> statuses(List<String> ids) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, String> found = new HashMap<>();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, status from images where id in (:ids)")
                    .setParameter("ids", ids).getResultList();
            for (Object[] r : rows) {
                found.put(r[0].toString().trim(), r[1].toString());
            }
            return found;
        });
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }
}
