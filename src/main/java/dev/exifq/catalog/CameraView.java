package dev.exifq.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A camera as the API shows it (PixelPeeper's shape). {@code name} is lensfun's English display name,
 * {@code mount} is null for fixed-lens cameras, {@code has_photo}/{@code image_url} are always false/null (no
 * photos; kept for PixelPeeper clients). Unknown cameras: {@code name} from EXIF, {@code slug} derived from it,
 * {@code make} the maker as the catalogue spells it ({@code Apple}, {@code Nikon}) or else as EXIF does, with its
 * {@code make_slug}; {@code matched} false and the catalogue-only fields null.
 */
@JsonPropertyOrder({"name", "make", "slug", "make_slug", "mount", "crop_factor", "has_photo", "image_url", "matched"})
public record CameraView(
        @JsonProperty("name") String name,
        @JsonProperty("make") String make,
        @JsonProperty("slug") String slug,
        @JsonProperty("make_slug") String makeSlug,
        @JsonProperty("mount") String mount,
        @JsonProperty("crop_factor") Double cropFactor,
        @JsonProperty("has_photo") boolean hasPhoto,
        @JsonProperty("image_url") String imageUrl,
        @JsonProperty("matched") boolean matched) {

    static CameraView unknown(String make, String exifModel) {
        return new CameraView(exifModel, make, Text.slug(exifModel), make == null ? null : Text.slug(make), null, null,
                false, null, false);
    }
}
