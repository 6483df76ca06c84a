package dev.exifq.duplicates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

@JsonPropertyOrder({"ok", "max_distance", "orientation", "similar", "truncated"})
@Schema(name = "DuplicateSearch", description = "The caller's images near the given hashes")
public record SearchView(
        boolean ok,
        int max_distance,
        @Schema(description = "Only when orientation=any was asked: any", enumeration = {"any"})
        @JsonInclude(JsonInclude.Include.NON_NULL) String orientation,
        @Schema(description = "Nearest first, ties by id. With both hashes given, distance is the larger of the two")
        List<SimilarImage> similar,
        @Schema(description = "True when 'similar' was cut at 'limit'") boolean truncated) {
}
