package dev.exifq.duplicates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

@JsonPropertyOrder({"ok", "id", "hash", "max_distance", "orientation", "exact", "similar", "truncated"})
@Schema(name = "ImageDuplicates", description = "The caller's duplicates of one image")
public record ImageDuplicatesView(
        boolean ok,
        @Schema(description = "The image asked about") String id,
        @Schema(enumeration = {"phash", "dhash"}) String hash,
        int max_distance,
        @Schema(description = "Only when orientation=any was asked: the orientations searched, any; same for an image "
                + "hashed before orientations were stored (found only as it is)", enumeration = {"any", "same"})
        @JsonInclude(JsonInclude.Include.NON_NULL) String orientation,
        @Schema(description = "Ids of the caller's other processed images with the same SHA-256, oldest first")
        List<String> exact,
        @Schema(description = "The caller's other images within max_distance (exact copies excluded), nearest "
                + "first, ties by id") List<SimilarImage> similar,
        @Schema(description = "True when 'exact' or 'similar' was cut at 'limit'") boolean truncated) {
}
