package dev.exifq.batches;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.images.ImageDeleted;
import dev.exifq.images.ImageFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import java.util.List;

/**
 * Counts each finished image into its batch, inside the transaction that ends the image, so the counts commit
 * or roll back with the result; the one that finishes the batch marks it completed and fires {@link BatchFinished}
 * in that same transaction. One UPDATE per image; concurrent ends of one batch queue on its row for a moment.
 */
@ApplicationScoped
public class BatchCounter {
    private final EntityManager em;
    private final Event<BatchFinished> finished;
    private final ObjectMapper json;

    public BatchCounter(EntityManager em, Event<BatchFinished> finished, ObjectMapper json) {
        this.em = em;
        this.finished = finished;
        this.json = json;
    }

    void onImageFinished(@Observes ImageFinished event) {
        if (event.batchId() != null) {
            count(event.batchId(), event.processed());
        }
    }

    /**
     * An image deleted before it finished (a run still going writes nothing once its row is gone) counts as failed,
     * so that its batch still completes; its result row then says {@code deleted}.
     */
    void onImageDeleted(@Observes ImageDeleted event) {
        if (event.batchId() != null && !event.finished()) {
            count(event.batchId(), false);
        }
    }

    private void count(String batchId, boolean processed) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        update batches b
                           set processed = b.processed + :p, failed = b.failed + :f,
                               status = case when b.processed + b.failed + 1 >= b.total then 'completed' else 'running' end,
                               completed_at = case when b.processed + b.failed + 1 >= b.total then now() end
                         where b.id = :id and b.status <> 'completed'
                        returning b.id, b.status, b.total, b.processed, b.failed, b.created_at, b.completed_at, 0,
                                  b.user_id, b.callback_url""")
                .setParameter("p", processed ? 1 : 0).setParameter("f", processed ? 0 : 1)
                .setParameter("id", batchId).getResultList();
        if (rows.isEmpty() || !"completed".equals(rows.get(0)[1])) {
            return;
        }
        Object[] r = rows.get(0);
        BatchView view = Batches.view(r);
        try {
            finished.fire(new BatchFinished(view.id(), ((Number) r[8]).longValue(),
                    r[9] == null ? null : r[9].toString(), json.writeValueAsString(view)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
