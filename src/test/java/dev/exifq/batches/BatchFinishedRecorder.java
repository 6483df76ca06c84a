package dev.exifq.batches;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every {@link BatchFinished}, as the webhooks package would receive it. */
@ApplicationScoped
public class BatchFinishedRecorder {
    final List<BatchFinished> events = new CopyOnWriteArrayList<>();

    void on(@Observes BatchFinished event) {
        events.add(event);
    }

    List<BatchFinished> of(String batchId) {
        return events.stream().filter(e -> e.batchId().equals(batchId)).toList();
    }
}
