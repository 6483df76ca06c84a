package dev.exifq.images;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Deletes originals {@code exifq.retention.originals} after their image finished ({@code 24h} by default,
 * {@code 0} right after processing, {@code forever} never). Metadata and hashes stay. The row's blob key is
 * cleared and the key put in the {@link BlobDeletions} outbox in one statement, which takes its rows with
 * FOR UPDATE SKIP LOCKED: every replica may run it, each row is expired once, and nothing is lost on a restart.
 */
@ApplicationScoped
public class OriginalRetention {
    private static final Logger LOG = Logger.getLogger(OriginalRetention.class);
    static final int BATCH = 500;

    private final EntityManager em;
    private final BlobDeletions blobDeletions;
    private final Clock clock;
    private final Optional<Duration> keep;

    public OriginalRetention(EntityManager em, BlobDeletions blobDeletions, Clock clock,
                             @ConfigProperty(name = "exifq.retention.originals", defaultValue = "24h") String keep) {
        this.em = em;
        this.blobDeletions = blobDeletions;
        this.clock = clock;
        this.keep = parse(keep);
    }

    static Optional<Duration> parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("forever")) {
            return Optional.empty();
        }
        Duration d = DurationConverter.parseDuration(v);
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("exifq.retention.originals must be a duration (24h, 0) or 'forever'");
        }
        return Optional.of(d);
    }

    /** How long originals are kept after their image finished; empty for forever. */
    public Optional<Duration> keep() {
        return keep;
    }

    /** With a retention of 0, an image's original goes as soon as its run has finished. */
    void finished(String imageId) {
        if (keep.isPresent() && keep.get().isZero()) {
            try {
                blobDeletions.drainNow(expire(clock.instant().plus(Duration.ofDays(1)), imageId));
            } catch (RuntimeException e) {
                LOG.warnf("Could not expire the original of image %s now (%s); the next pass will", imageId, e.toString());
            }
        }
    }

    @Scheduled(every = "${exifq.retention.expire-every:60s}", delayed = "45s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledExpiry() {
        keep.ifPresent(k -> {
            while (expireFinishedBefore(clock.instant().minus(k)) == BATCH) {
                // more to do
            }
        });
    }

    /** Expires up to {@link #BATCH} originals of images finished before the cutoff. @return how many */
    int expireFinishedBefore(Instant cutoff) {
        List<Long> outbox = expire(cutoff, null);
        blobDeletions.drainNow(outbox);
        return outbox.size();
    }

    @SuppressWarnings("unchecked")
    private List<Long> expire(Instant cutoff, String onlyId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery("""
                    with expired as (select id, blob_key from images
                                      where blob_key is not null and completed_at < to_timestamp(:cutoff) %s
                                      order by completed_at limit %d
                                      for update skip locked),
                         cleared as (update images i set blob_key = null, original_deleted_at = now()
                                       from expired e where i.id = e.id
                                     returning e.blob_key)
                    insert into blob_deletions (blob_key) select blob_key from cleared returning id"""
                    .formatted(onlyId == null ? "" : "and id = :id", BATCH))
                    .setParameter("cutoff", cutoff.toEpochMilli() / 1000.0);
            if (onlyId != null) {
                query.setParameter("id", onlyId);
            }
            return ((List<Number>) query.getResultList()).stream().map(Number::longValue).toList();
        });
    }
}
