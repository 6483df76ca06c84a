package dev.exifq.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A maker with how many cameras and lenses the catalogue has from it. */
@JsonPropertyOrder({"name", "slug", "camera_count", "lens_count"})
public record MakeView(
        @JsonProperty("name") String name,
        @JsonProperty("slug") String slug,
        @JsonProperty("camera_count") int cameraCount,
        @JsonProperty("lens_count") int lensCount) {}
