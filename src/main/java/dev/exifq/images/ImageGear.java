package dev.exifq.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.catalog.CameraView;
import dev.exifq.catalog.CatalogService;
import dev.exifq.catalog.LensView;
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

    /** The views as JSON, and the catalogue keys of matched gear (null when unmatched). */
    public record Gear(String cameraJson, String lensJson, String cameraKey, String lensSlug) {}

    public static String cameraKey(String makeSlug, String slug) {
        return makeSlug + "/" + slug;
    }

    public Gear lookUp(String metadataJson) {
        try {
            JsonNode metadata = json.readTree(metadataJson);
            CameraView camera = catalog.matchCamera(metadata).orElse(null);
            LensView lens = catalog.matchLens(metadata, camera).orElse(null);
            return new Gear(camera == null ? null : write(camera), lens == null ? null : write(lens),
                    camera != null && camera.matched() ? cameraKey(camera.makeSlug(), camera.slug()) : null,
                    lens != null && lens.matched() ? lens.slug() : null);
        } catch (JsonProcessingException e) {
            return new Gear(null, null, null, null);
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
