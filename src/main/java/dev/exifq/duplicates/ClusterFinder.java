package dev.exifq.duplicates;

import java.util.Arrays;

/**
 * Connected components of a library: nodes are images (by index), joined when their hashes are within
 * {@code maxDistance} or when they are in the same exact (checksum) group. All near pairs are found with the
 * same multi-index hashing as the database query, in memory: two hashes within r share, in at least one of
 * their four 16-bit bands, values at most floor(r/4) bits apart, so per band only buckets that close are
 * compared. Identical hashes are merged first, so a library full of one blank image's hash does not make a
 * bucket quadratic.
 */
final class ClusterFinder {
    private ClusterFinder() {}

    /** Clusters as a flat list of node indices; cluster c is {@code members[offsets[c] .. offsets[c+1])}. */
    record Result(int[] members, int[] offsets) {
        int clusterCount() {
            return offsets.length - 1;
        }
    }

    /**
     * @param nodeCount  number of nodes; node order is the order of members within and between clusters
     * @param hashed     indices of the nodes that have a hash
     * @param hashes     their hashes, parallel to {@code hashed}
     * @param exact      groups of node indices known to be identical (same checksum)
     * @return components of size 2 or more, each sorted by node index, ordered by their smallest index
     */
    static Result find(int nodeCount, int[] hashed, long[] hashes, int[][] exact, int maxDistance) {
        UnionFind uf = new UnionFind(nodeCount);
        for (int[] group : exact) {
            for (int i = 1; i < group.length; i++) uf.union(group[0], group[i]);
        }
        // distinct hashes, each with one representative node; nodes sharing a hash are joined directly
        long[] distinct = hashes.clone();
        Arrays.sort(distinct);
        int d = 0;
        for (int i = 0; i < distinct.length; i++) {
            if (i == 0 || distinct[i] != distinct[i - 1]) distinct[d++] = distinct[i];
        }
        distinct = Arrays.copyOf(distinct, d);
        int[] rep = new int[d];
        Arrays.fill(rep, -1);
        for (int i = 0; i < hashed.length; i++) {
            int k = Arrays.binarySearch(distinct, hashes[i]);
            if (rep[k] < 0) rep[k] = hashed[i];
            else uf.union(rep[k], hashed[i]);
        }
        if (maxDistance > 0 && d > 1) {
            joinNearPairs(distinct, rep, maxDistance, uf);
        }
        return components(uf, nodeCount);
    }

    /**
     * Per band: the hashes bucketed by that band's 16-bit value (counting sort, hashes copied into bucket
     * order so buckets are contiguous), then every pair of buckets whose values differ in at most floor(r/4)
     * bits is joined once, bucket against bucket. Each bucket pair costs one random memory access instead of
     * one per hash, which is what makes a million hashes take seconds rather than minutes.
     */
    private static void joinNearPairs(long[] h, int[] rep, int maxDistance, UnionFind uf) {
        int n = h.length;
        int values = 1 << BandProbes.BAND_BITS;
        int[] masks = BandProbes.within(0, BandProbes.bandRadius(maxDistance));
        int[] start = new int[values + 1];
        long[] sorted = new long[n];
        int[] node = new int[n];
        int[] fill = new int[values];
        for (int b = 0; b < BandProbes.BANDS; b++) {
            Arrays.fill(start, 0);
            for (long x : h) start[BandProbes.band(x, b) + 1]++;
            for (int v = 0; v < values; v++) start[v + 1] += start[v];
            System.arraycopy(start, 0, fill, 0, values);
            for (int i = 0; i < n; i++) {
                int at = fill[BandProbes.band(h[i], b)]++;
                sorted[at] = h[i];
                node[at] = i;
            }
            for (int v = 0; v < values; v++) {
                int from = start[v];
                int to = start[v + 1];
                if (from == to) continue;
                // within the bucket
                for (int x = from; x < to; x++) {
                    long hx = sorted[x];
                    for (int y = x + 1; y < to; y++) {
                        if (Long.bitCount(hx ^ sorted[y]) <= maxDistance) uf.union(rep[node[x]], rep[node[y]]);
                    }
                }
                // against each nearby bucket with a larger value, so every bucket pair is joined once
                for (int m = 1; m < masks.length; m++) {
                    int w = v ^ masks[m];
                    if (w < v) continue;
                    int wFrom = start[w];
                    int wTo = start[w + 1];
                    if (wFrom == wTo) continue;
                    for (int x = from; x < to; x++) {
                        long hx = sorted[x];
                        for (int y = wFrom; y < wTo; y++) {
                            if (Long.bitCount(hx ^ sorted[y]) <= maxDistance) uf.union(rep[node[x]], rep[node[y]]);
                        }
                    }
                }
            }
        }
    }

    private static Result components(UnionFind uf, int nodeCount) {
        int[] size = new int[nodeCount];
        int[] root = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            root[i] = uf.find(i);
            size[root[i]]++;
        }
        // clusters ordered by their smallest node: walk nodes in order, a root gets its slot at first sight
        int[] slot = new int[nodeCount];
        Arrays.fill(slot, -1);
        int[] sizes = new int[nodeCount];
        int clusters = 0;
        int members = 0;
        for (int i = 0; i < nodeCount; i++) {
            int r = root[i];
            if (size[r] >= 2 && slot[r] < 0) {
                slot[r] = clusters;
                sizes[clusters++] = size[r];
                members += size[r];
            }
        }
        int[] offsets = new int[clusters + 1];
        for (int c = 0; c < clusters; c++) offsets[c + 1] = offsets[c] + sizes[c];
        int[] fill = Arrays.copyOf(offsets, clusters);
        int[] out = new int[members];
        for (int i = 0; i < nodeCount; i++) {
            int r = root[i];
            if (size[r] >= 2) out[fill[slot[r]]++] = i;
        }
        return new Result(out, offsets);
    }

    /** Union-find with path halving and union by size. */
    static final class UnionFind {
        private final int[] parent;
        private final int[] size;

        UnionFind(int n) {
            parent = new int[n];
            size = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
                size[i] = 1;
            }
        }

        int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra == rb) return;
            if (size[ra] < size[rb]) {
                int t = ra;
                ra = rb;
                rb = t;
            }
            parent[rb] = ra;
            size[ra] += size[rb];
        }
    }
}
