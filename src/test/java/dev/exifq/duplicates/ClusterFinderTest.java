package dev.exifq.duplicates;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterFinderTest {

    @Test
    void matchesBruteForceOnRandomLibrariesWithPlantedNeighbours() {
        Random random = new Random(42);
        for (int round = 0; round < 30; round++) {
            int n = 50 + random.nextInt(400);
            long[] all = new long[n];
            for (int i = 0; i < n; i++) {
                // a third of the hashes sit a few bits from an earlier one, some exactly on it, so chains form
                if (i > 0 && random.nextInt(3) == 0) {
                    long base = all[random.nextInt(i)];
                    all[i] = base ^ mask(random, random.nextInt(9));
                } else {
                    all[i] = random.nextLong();
                }
            }
            // some nodes have no hash; a few exact groups, one joining a hashless node
            List<Integer> hashedList = new ArrayList<>();
            for (int i = 0; i < n; i++) if (random.nextInt(10) != 0) hashedList.add(i);
            int[] hashed = hashedList.stream().mapToInt(Integer::intValue).toArray();
            long[] hashes = Arrays.stream(hashed).mapToLong(i -> all[i]).toArray();
            int[][] exact = {{random.nextInt(n), random.nextInt(n), random.nextInt(n)}, {random.nextInt(n), random.nextInt(n)}};
            for (int r : new int[]{0, 3, 4, 6, 10, 16}) {
                ClusterFinder.Result got = ClusterFinder.find(n, hashed, hashes, exact, r);
                assertEquals(bruteForce(n, hashed, hashes, exact, r), asSets(got), "round " + round + ", r " + r);
            }
        }
    }

    @Test
    void clustersAreOrderedByTheirSmallestMemberAndMembersAscending() {
        // 0 ~ 3 (1 bit), 1 ~ 2 (exact group), 4 alone
        int[] hashed = {0, 1, 3, 4};
        long[] hashes = {0xF0F0L, 0x1234_5678_9ABC_DEF0L, 0xF0F1L, 0x0F0F_0F0F_0F0F_0F0FL};
        ClusterFinder.Result r = ClusterFinder.find(5, hashed, hashes, new int[][]{{2, 1}}, 6);
        assertArrayEquals(new int[]{0, 2, 4}, r.offsets());
        assertArrayEquals(new int[]{0, 3, 1, 2}, r.members());
    }

    @Test
    void manyIdenticalHashesAreOneClusterQuickly() {
        int n = 200_000;
        int[] hashed = new int[n];
        long[] hashes = new long[n];
        for (int i = 0; i < n; i++) {
            hashed[i] = i;
            hashes[i] = i % 2 == 0 ? 0x8000_0000_0000_0000L : 0L; // blank images: two hashes, one bit apart
        }
        long t0 = System.nanoTime();
        ClusterFinder.Result r = ClusterFinder.find(n, hashed, hashes, new int[0][], 6);
        assertEquals(1, r.clusterCount());
        assertEquals(n, r.members().length);
        assertEquals(true, System.nanoTime() - t0 < 5_000_000_000L, "identical hashes must not be compared pairwise");
    }

    private static long mask(Random random, int bits) {
        long m = 0;
        while (Long.bitCount(m) < bits) m |= 1L << random.nextInt(64);
        return m;
    }

    private static Set<Set<Integer>> asSets(ClusterFinder.Result r) {
        Set<Set<Integer>> out = new HashSet<>();
        int previousFirst = -1;
        for (int c = 0; c < r.clusterCount(); c++) {
            Set<Integer> s = new HashSet<>();
            int previous = -1;
            for (int m = r.offsets()[c]; m < r.offsets()[c + 1]; m++) {
                int node = r.members()[m];
                assertEquals(true, node > previous, "members ascending");
                previous = node;
                s.add(node);
            }
            int first = r.members()[r.offsets()[c]];
            assertEquals(true, first > previousFirst, "clusters ordered by smallest member");
            previousFirst = first;
            out.add(s);
        }
        return out;
    }

    private static Set<Set<Integer>> bruteForce(int n, int[] hashed, long[] hashes, int[][] exact, int r) {
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (int[] g : exact) for (int x : g) join(parent, g[0], x);
        for (int a = 0; a < hashed.length; a++) {
            for (int b = a + 1; b < hashed.length; b++) {
                if (Long.bitCount(hashes[a] ^ hashes[b]) <= r) join(parent, hashed[a], hashed[b]);
            }
        }
        List<Set<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) groups.add(new HashSet<>());
        for (int i = 0; i < n; i++) groups.get(root(parent, i)).add(i);
        Set<Set<Integer>> out = new HashSet<>();
        for (Set<Integer> g : groups) if (g.size() >= 2) out.add(g);
        return out;
    }

    private static int root(int[] p, int x) {
        while (p[x] != x) x = p[x];
        return x;
    }

    private static void join(int[] p, int a, int b) {
        p[root(p, a)] = root(p, b);
    }
}
