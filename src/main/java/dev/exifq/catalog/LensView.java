package dev.exifq.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A lens as the API shows it. {@code exif_name}: the lens name the image's metadata gave (for catalogue listings:
 * the name lensfun expects in EXIF). {@code aperture_max}: widest aperture as an f-number (1.8 for f/1.8).
 * {@code mount}: for a lens matched on a camera, the lens's mount that fits that camera; in catalogue listings the
 * first mount lensfun lists; null for the built-in lens of a fixed-lens camera.
 * Unknown lenses: {@code exif_name} and {@code name} from EXIF, {@code slug} derived, {@code matched} false,
 * every other field null.
 */
@JsonPropertyOrder({"exif_name", "slug", "name", "make", "mount", "focal_min", "focal_max", "aperture_max", "matched"})
public record LensView(
        @JsonProperty("exif_name") String exifName,
        @JsonProperty("slug") String slug,
        @JsonProperty("name") String name,
        @JsonProperty("make") String make,
        @JsonProperty("mount") String mount,
        @JsonProperty("focal_min") Double focalMin,
        @JsonProperty("focal_max") Double focalMax,
        @JsonProperty("aperture_max") Double apertureMax,
        @JsonProperty("matched") boolean matched) {

    static LensView unknown(String make, String exifName) {
        return new LensView(exifName, Text.slug(exifName), exifName, make, null, null, null, null, false);
    }

    LensView withMount(String m) {
        return new LensView(exifName, slug, name, make, m, focalMin, focalMax, apertureMax, matched);
    }

    LensView withExifName(String exif) {
        return new LensView(exif, slug, name, make, mount, focalMin, focalMax, apertureMax, matched);
    }
}
