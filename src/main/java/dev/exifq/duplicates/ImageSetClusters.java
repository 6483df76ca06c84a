package dev.exifq.duplicates;

import dev.exifq.hashing.Hamming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Duplicate clusters of a given set of images (a batch's, say) rather than of a whole library: the same
 * {@link ClusterFinder} (near on one hash, or equal checksums), in memory, for sets small enough to pass in whole.
 */
public final class ImageSetClusters {
    private ImageSetClusters() {}

    /** One image of the set; {@code hash} the chosen hash in hex, or null when it has none. */
    public record Node(String id, String filename, String checksum, String hash) {}

    /**
     * @param nodes the set, oldest first (by id)
     * @return clusters of two or more, each oldest first, ordered by their oldest image; distances to it
     */
    public static List<ClusterPageView.Cluster> of(List<Node> nodes, int maxDistance) {
        List<Integer> hashedNodes = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        Map<String, List<Integer>> byChecksum = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.hash() != null) {
                hashedNodes.add(i);
                hashes.add(Hamming.parse(n.hash()));
            }
            if (n.checksum() != null) {
                byChecksum.computeIfAbsent(n.checksum(), k -> new ArrayList<>()).add(i);
            }
        }
        int[][] exact = byChecksum.values().stream().filter(g -> g.size() > 1)
                .map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        ClusterFinder.Result r = ClusterFinder.find(nodes.size(), hashedNodes.stream().mapToInt(Integer::intValue).toArray(),
                hashes.stream().mapToLong(Long::longValue).toArray(), exact, maxDistance);
        List<ClusterPageView.Cluster> clusters = new ArrayList<>(r.clusterCount());
        for (int c = 0; c < r.clusterCount(); c++) {
            Node first = nodes.get(r.members()[r.offsets()[c]]);
            List<ClusterPageView.Member> members = new ArrayList<>();
            for (int m = r.offsets()[c]; m < r.offsets()[c + 1]; m++) {
                Node n = nodes.get(r.members()[m]);
                Integer distance = n.hash() == null || first.hash() == null ? null
                        : Hamming.distance(first.hash(), n.hash());
                members.add(new ClusterPageView.Member(n.id(), n.filename(), n.checksum(), distance));
            }
            clusters.add(new ClusterPageView.Cluster(first.id(), members.size(), 0, members));
        }
        return clusters;
    }
}
