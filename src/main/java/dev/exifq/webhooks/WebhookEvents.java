package dev.exifq.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.batches.BatchFinished;
import dev.exifq.images.Image;
import dev.exifq.images.ImageDeleted;
import dev.exifq.images.ImageView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * Turns a finished image or batch that has a callback into an outbox row, inside the transaction that ends it:
 * the delivery commits with the result or not at all.
 */
@ApplicationScoped
public class WebhookEvents {
    static final String IMAGE = "image";
    static final String BATCH = "batch";

    private final ObjectMapper json;
    private final WebhookDeliveries deliveries;

    public WebhookEvents(ObjectMapper json, WebhookDeliveries deliveries) {
        this.json = json;
        this.deliveries = deliveries;
    }

    void imageFinished(@Observes dev.exifq.images.ImageFinished finished) throws JsonProcessingException {
        if (finished.callbackUrl() == null) {
            return; // most images: no JSON built
        }
        Image image = Image.findById(finished.imageId());
        // the JSON GET /v1/images/{id} answers at this moment, from the same serialiser
        String body = json.writeValueAsString(ImageView.of(image));
        deliveries.record(finished.userId(), IMAGE, finished.imageId(), finished.callbackUrl(), body);
    }

    /** A deleted image's JSON is not kept in the outbox, nor sent after the deletion. */
    void imageDeleted(@Observes ImageDeleted deleted) {
        deliveries.forget(IMAGE, deleted.imageId());
    }

    void batchFinished(@Observes BatchFinished finished) {
        if (finished.callbackUrl() != null) {
            deliveries.record(finished.userId(), BATCH, finished.batchId(), finished.callbackUrl(), finished.body());
        }
    }
}
