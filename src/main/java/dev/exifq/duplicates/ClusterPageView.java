package dev.exifq.duplicates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

@JsonPropertyOrder({"ok", "hash", "max_distance", "orientation", "total_clusters", "total_images", "clusters", "next_cursor"})
@Schema(name = "DuplicateClusters", description = "One page of the caller's library grouped into duplicate clusters")
public record ClusterPageView(
        boolean ok,
        @Schema(enumeration = {"phash", "dhash"}) String hash,
        int max_distance,
        @Schema(description = "Only with orientation=any: any", enumeration = {"any"})
        @JsonInclude(JsonInclude.Include.NON_NULL) String orientation,
        @Schema(description = "Clusters in the whole library (all pages)") int total_clusters,
        @Schema(description = "Images in those clusters (all pages)") int total_images,
        @Schema(description = "Ordered by each cluster's oldest image") List<Cluster> clusters,
        @Schema(description = "Pass as 'cursor' for the next page; null on the last page") String next_cursor) {

    @JsonPropertyOrder({"id", "size", "offset", "images"})
    @Schema(name = "DuplicateCluster", description = "Images linked by chains of near or exact duplicates")
    public record Cluster(
            @Schema(description = "The cluster's key: its oldest image's id") String id,
            @Schema(description = "Images in the cluster (2 or more)") int size,
            @Schema(description = "Index of the first image listed here; more than 0 when a cluster too large "
                    + "for one page continues from the previous one") int offset,
            @Schema(description = "Oldest first") List<Member> images) {
    }

    @JsonPropertyOrder({"id", "filename", "checksum", "distance"})
    @Schema(name = "DuplicateClusterImage")
    public record Member(
            String id,
            String filename,
            @Schema(description = "SHA-256; equal checksums are exact duplicates") String checksum,
            @Schema(description = "Hamming distance to the cluster's oldest image on the chosen hash (with "
                    + "orientation=any, to its nearest orientation); null when either has no hash (joined by checksum "
                    + "only)") Integer distance) {
    }
}
