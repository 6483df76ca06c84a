package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.images.EditRequests;
import dev.exifq.metadata.EditSpec;
import dev.exifq.metadata.WritableTags;
import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** {@code "edit": {"mode": "append"|"overwrite"|"strip", "fields": {...}, "gps": {"lat", "lng", "alt"}}}. */
@ApplicationScoped
public class V1EditRequests implements EditRequests {
    private final WritableTags writable;

    public V1EditRequests(WritableTags writable) {
        this.writable = writable;
    }

    @Override
    public EditSpec parse(JsonNode edit) {
        if (edit == null || !edit.isObject()) {
            throw ApiException.badRequest("invalid_edit", "'edit' must be an object with mode, fields and/or gps.");
        }
        String mode = edit.path("mode").asText("append");
        if (mode.equals("strip")) {
            if (edit.has("fields") || edit.has("gps")) {
                throw ApiException.badRequest("invalid_edit", "'strip' takes no fields or gps.");
            }
            return new EditSpec("api-strip", EditSpec.Mode.STRIP, true, List.of());
        }
        EditSpec.Mode m = WriteResource.mode(mode);
        List<EditSpec.TagValue> tags = new ArrayList<>();
        if (edit.hasNonNull("fields")) {
            tags.addAll(AdvancedFields.parse(edit.get("fields"), writable));
        }
        JsonNode gps = edit.get("gps");
        if (gps != null && !gps.isNull()) {
            tags.addAll(GpsTags.latitude("gps.lat", number(gps, "lat", true)));
            tags.addAll(GpsTags.longitude("gps.lng", number(gps, "lng", true)));
            BigDecimal alt = number(gps, "alt", false);
            if (alt != null) {
                tags.addAll(GpsTags.altitude("gps.alt", alt));
            }
        }
        if (tags.isEmpty() && m == EditSpec.Mode.APPEND) {
            throw ApiException.badRequest("invalid_edit", "'edit' has nothing to write: give fields or gps.");
        }
        return new EditSpec("api-" + m.name().toLowerCase(java.util.Locale.ROOT), m, true, tags);
    }

    private static BigDecimal number(JsonNode gps, String name, boolean required) {
        JsonNode v = gps.get(name);
        if (v == null || v.isNull()) {
            if (required) throw ApiException.badRequest("invalid_edit", "'edit.gps." + name + "' is required.");
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiException.badRequest("invalid_edit", "'edit.gps." + name + "' must be a number.");
        }
        return v.decimalValue();
    }
}
