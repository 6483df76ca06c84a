package dev.exifq.duplicates;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One near duplicate: the image and its Hamming distance to the query. */
@JsonPropertyOrder({"id", "filename", "distance"})
@Schema(name = "SimilarImage")
public record SimilarImage(
        @Schema(example = "01hq3v6k2m8x9y7z5w4t3s2r1q") String id,
        @Schema(example = "IMG_0001.jpg") String filename,
        @Schema(description = "Differing bits between the two 64-bit hashes (0 to 64)", example = "3") int distance) {

    static SimilarImage of(HashIndex.Match m) {
        return new SimilarImage(m.id(), m.filename(), m.distance());
    }
}
