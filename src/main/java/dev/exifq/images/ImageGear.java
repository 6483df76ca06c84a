package dev.exifq.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.catalog.CameraView;
import dev.exifq.catalog.CatalogService;
import jakarta.enterprise.context.ApplicationScoped;

/** The camera and lens of an image, looked up in the catalogue, as the JSON the image view embeds. */
@ApplicationScoped
public class ImageGear {
    private final CatalogService catalog;
    private final ObjectMapper json;

    public ImageGear(CatalogService catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    public record Gear(String cameraJson, String lensJson) {}

    public Gear lookUp(String metadataJson) {
        try {
            JsonNode metadata = json.readTree(metadataJson);
            CameraView camera = catalog.matchCamera(metadata).orElse(null);
            String lens = catalog.matchLens(metadata, camera).map(this::write).orElse(null);
            return new Gear(camera == null ? null : write(camera), lens);
        } catch (JsonProcessingException e) {
            return new Gear(null, null);
        }
    }

    private String write(Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
