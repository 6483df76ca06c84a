package dev.exifq.batches;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.duplicates.ClusterPageView;
import dev.exifq.duplicates.HashKind;
import dev.exifq.duplicates.ImageSetClusters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The duplicate clusters among a batch's processed images, with the duplicates package's clustering. */
@ApplicationScoped
class BatchDuplicates {
    private final EntityManager em;

    BatchDuplicates(EntityManager em) {
        this.em = em;
    }

    @JsonPropertyOrder({"ok", "batch", "hash", "max_distance", "total_clusters", "total_images", "clusters"})
    @Schema(name = "BatchDuplicates", description = "The duplicate clusters inside one batch")
    public record View(boolean ok, String batch, @Schema(enumeration = {"phash", "dhash"}) String hash,
                       int max_distance, int total_clusters,
                       @Schema(description = "Images in those clusters") int total_images,
                       @Schema(description = "Ordered by each cluster's oldest image") List<ClusterPageView.Cluster> clusters) {
    }

    @Transactional
    View of(String batchId, HashKind kind, int maxDistance) {
        // the column comes from the enum, never from the request
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, filename, checksum, " + kind.column()
                        + " from images where batch_id = :batch and status = 'processed' order by id")
                .setParameter("batch", batchId).getResultList();
        List<ImageSetClusters.Node> nodes = rows.stream().map(r -> new ImageSetClusters.Node(r[0].toString().trim(),
                r[1] == null ? null : r[1].toString(), r[2] == null ? null : r[2].toString().trim(),
                r[3] == null ? null : r[3].toString().trim())).toList();
        List<ClusterPageView.Cluster> clusters = ImageSetClusters.of(nodes, maxDistance);
        return new View(true, batchId, kind.column(), maxDistance, clusters.size(),
                clusters.stream().mapToInt(ClusterPageView.Cluster::size).sum(), clusters);
    }
}
