package dev.exifq.duplicates;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One user's clusters for one (hash, max_distance) at one library version: just the member ids (26 ASCII
 * bytes each, in cluster order) and where each cluster starts. Filenames, checksums and distances are read
 * per page, so a cached result stays small and always shows current names.
 */
final class LibraryClusters {
    static final int ID_LENGTH = 26;

    private final long version;
    private final byte[] ids;
    private final int[] offsets;
    private final int libraryImages;
    private final long readMillis;
    private final long clusterMillis;

    LibraryClusters(long version, byte[] ids, int[] offsets, int libraryImages) {
        this(version, ids, offsets, libraryImages, 0, 0);
    }

    LibraryClusters(long version, byte[] ids, int[] offsets, int libraryImages, long readMillis, long clusterMillis) {
        this.version = version;
        this.ids = ids;
        this.offsets = offsets;
        this.libraryImages = libraryImages;
        this.readMillis = readMillis;
        this.clusterMillis = clusterMillis;
    }

    /** Builds the result from the finder's node indices and the library's node ids (26 bytes each). */
    static LibraryClusters of(long version, byte[] nodeIds, ClusterFinder.Result r, int libraryImages,
                              long readMillis, long clusterMillis) {
        int[] members = r.members();
        byte[] ids = new byte[members.length * ID_LENGTH];
        for (int m = 0; m < members.length; m++) {
            System.arraycopy(nodeIds, members[m] * ID_LENGTH, ids, m * ID_LENGTH, ID_LENGTH);
        }
        return new LibraryClusters(version, ids, r.offsets(), libraryImages, readMillis, clusterMillis);
    }

    /** How long reading the library from PostgreSQL took. */
    long readMillis() {
        return readMillis;
    }

    /** How long finding the clusters in memory took. */
    long clusterMillis() {
        return clusterMillis;
    }

    long version() {
        return version;
    }

    int clusterCount() {
        return offsets.length - 1;
    }

    int imageCount() {
        return offsets[offsets.length - 1];
    }

    /** Images that were clustered: those with hashes, and those without that share a checksum. */
    int libraryImages() {
        return libraryImages;
    }

    int size(int cluster) {
        return offsets[cluster + 1] - offsets[cluster];
    }

    String member(int cluster, int index) {
        return new String(ids, (offsets[cluster] + index) * ID_LENGTH, ID_LENGTH, StandardCharsets.US_ASCII);
    }

    /** A cluster's key: its oldest member's id. */
    String clusterId(int cluster) {
        return member(cluster, 0);
    }

    /** The first cluster whose key is at or after {@code id}; clusterCount() when there is none. */
    int firstAtOrAfter(String id) {
        byte[] key = id.getBytes(StandardCharsets.US_ASCII);
        int lo = 0;
        int hi = clusterCount();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int from = offsets[mid] * ID_LENGTH;
            if (Arrays.compare(ids, from, from + ID_LENGTH, key, 0, key.length) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Rough heap size, for the cache's bound. */
    long bytes() {
        return ids.length + 4L * offsets.length + 64;
    }
}
