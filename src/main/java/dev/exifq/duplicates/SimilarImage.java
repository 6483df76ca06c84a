package dev.exifq.duplicates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One near duplicate: the image, its Hamming distance to the query and, with orientation=any, the turn between them. */
@JsonPropertyOrder({"id", "filename", "distance", "orientation", "display_orientation"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SimilarImage")
public record SimilarImage(
        @Schema(example = "01hq3v6k2m8x9y7z5w4t3s2r1q") String id,
        @Schema(example = "IMG_0001.jpg") String filename,
        @Schema(description = "Differing bits between the two 64-bit hashes (0 to 64); with orientation=any, "
                + "between the match and the query turned by 'orientation'", example = "3") int distance,
        @Schema(description = "Only with orientation=any: the turn that maps the match's pixels onto the query's "
                + "(rotate90 is a quarter turn clockwise, mirror a left-right flip, flip upside down, transpose and "
                + "transverse flips about the diagonals)", enumeration = {"identity", "mirror", "rotate180", "flip",
                "transpose", "rotate90", "transverse", "rotate270"}, example = "rotate90") String orientation,
        @Schema(description = "Only with orientation=any, when the query or the match has an EXIF Orientation other "
                + "than 1: the turn that maps the match as displayed (its EXIF orientation applied) onto the query "
                + "as displayed", enumeration = {"identity", "mirror", "rotate180", "flip", "transpose", "rotate90",
                "transverse", "rotate270"}, example = "identity") String display_orientation) {

    static SimilarImage of(HashIndex.Match m) {
        return new SimilarImage(m.id(), m.filename(), m.distance(), null, null);
    }
}
