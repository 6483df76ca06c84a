package dev.exifq.duplicates;

import dev.exifq.hashing.Orientation;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Near-duplicate lookups on a million-image library in the real tables and indexes (scripts/bench-duplicates).
 * Not a unit test: it runs only with -Dduplicates.bench=true. Loads N uniformly random hashes plus P planted
 * pairs (the second of pair i is i % 10 + 1 bits from the first) for one user, then queries each pair's first
 * hash through HashIndex with the band filter and as a scan, and reports latency, recall of the planted
 * partners, and whether every answer equals a brute force over all hashes in Java.
 */
@QuarkusTest
class DuplicatesBenchmark {
    @Inject
    DataSource db;
    @Inject
    DuplicatesService duplicates;
    @Inject
    ClusterCache cache;

    private final StringBuilder report = new StringBuilder();

    @Test
    void millionHashLibrary() throws Exception {
        assumeTrue(Boolean.getBoolean("duplicates.bench"), "benchmark: run scripts/bench-duplicates");
        int rows = Integer.getInteger("duplicates.bench.rows", 1_000_000);
        int pairs = Integer.getInteger("duplicates.bench.pairs", 1_000);
        int scanQueries = Integer.getInteger("duplicates.bench.scan-queries", 100);
        int[] radii = Arrays.stream(System.getProperty("duplicates.bench.radii", "6,10,12,14,16").split(","))
                .mapToInt(Integer::parseInt).toArray();
        boolean clusters = Boolean.parseBoolean(System.getProperty("duplicates.bench.clusters", "true"));

        Random random = new Random(20240223);
        // then as many turned pairs: the second is near one of the first's seven other orientations (orientation=any)
        int turnedBase = rows + 2 * pairs;
        int n = turnedBase + 2 * pairs;
        long[] phash = new long[n];
        long[] dhash = new long[n];
        for (int i = 0; i < rows; i++) {
            phash[i] = random.nextLong();
            dhash[i] = random.nextLong();
        }
        int[] plantedDistance = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            int a = rows + 2 * p;
            plantedDistance[p] = p % 10 + 1;
            phash[a] = random.nextLong();
            phash[a + 1] = phash[a] ^ HashIndexTest.mask(random, plantedDistance[p]);
            dhash[a] = random.nextLong();
            dhash[a + 1] = random.nextLong();
        }
        long[][] turns = new long[pairs][8];
        Orientation[] turnOf = new Orientation[pairs];
        int[] turnedDistance = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            int a = turnedBase + 2 * p;
            phash[a] = random.nextLong();
            turns[p][0] = phash[a];
            for (int o = 1; o < 8; o++) turns[p][o] = random.nextLong();
            turnOf[p] = Orientation.ofExif(p % 7 + 2);
            turnedDistance[p] = p % 6 + 1;
            phash[a + 1] = turns[p][turnOf[p].exif() - 1] ^ HashIndexTest.mask(random, turnedDistance[p]);
            dhash[a] = random.nextLong();
            dhash[a + 1] = random.nextLong();
        }
        long user = TestUsers.create("pro").userId();
        print("duplicates benchmark: %,d random hashes + %,d planted pairs (distances 1..10) for one user; "
                        + "Java %s, %d cpus, load average %.1f%n", rows, pairs, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());

        try (Connection c = db.getConnection()) {
            long t0 = System.nanoTime();
            String[] ids = TestLibraries.insert(c, user, phash, dhash);
            double loadS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("vacuum analyze image_hashes");
                s.execute("vacuum analyze images");
            }
            print("  load (COPY into images + image_hashes with all indexes): %.1f s; vacuum analyze %.1f s%n",
                    loadS, (System.nanoTime() - t0) / 1e9);
            print("  sizes: image_hashes %s (table) + %s (indexes); images %s; PostgreSQL %s, shared_buffers %s%n",
                    scalar(c, "select pg_size_pretty(pg_relation_size('image_hashes'))"),
                    scalar(c, "select pg_size_pretty(pg_indexes_size('image_hashes'))"),
                    scalar(c, "select pg_size_pretty(pg_total_relation_size('images'))"),
                    scalar(c, "show server_version"), scalar(c, "show shared_buffers"));

            // warm both paths: caches, JIT, pgjdbc's server-side prepared statements
            for (int i = 0; i < 200; i++) {
                long q = phash[rows + 2 * (i % pairs)];
                HashIndex.find(c, HashIndex.Query.of(user, HashKind.PHASH, q, 6, 10_000), HashIndex.Strategy.BANDS);
                HashIndex.find(c, HashIndex.Query.of(user, HashKind.PHASH, q, 10, 10_000), HashIndex.Strategy.BANDS);
                if (i < 10) {
                    HashIndex.find(c, HashIndex.Query.of(user, HashKind.PHASH, q, 6, 10_000), HashIndex.Strategy.SCAN);
                }
            }

            print("%n  %-5s %-6s %8s %8s %8s %8s %9s %9s %10s%n", "r", "path", "queries", "p50 ms", "p95 ms", "max ms",
                    "recall", "exact", "results");
            for (int r : radii) {
                Stats bands = run(c, user, ids, phash, rows, pairs, plantedDistance, r, pairs, HashIndex.Strategy.BANDS);
                Stats scan = run(c, user, ids, phash, rows, pairs, plantedDistance, r, Math.min(scanQueries, pairs),
                        HashIndex.Strategy.SCAN);
                row(r, "bands", bands);
                row(r, "scan", scan);
                print("  %-5s %-6s speed-up at p50 %.0fx, at p95 %.0fx; %s is what HashIndex.choose(%d) uses%n", "", "",
                        scan.p50() / bands.p50(), scan.p95() / bands.p95(), HashIndex.choose(r, n), r);
            }
            anyOrientation(c, user, ids, phash, turnedBase, turns, turnOf, turnedDistance, 6);
            if (Boolean.parseBoolean(System.getProperty("duplicates.bench.small", "true"))) {
                smallLibraries(c);
            }

            print("%n  plan of one query at r=6:%n%s", indent(explain(c, user, phash[rows], 6)));
            print("  plan of one query at r=10:%n%s", indent(explain(c, user, phash[rows], 10)));

            if (clusters) {
                for (int r : new int[]{6, 10}) {
                    Runtime rt = Runtime.getRuntime();
                    System.gc();
                    long before = rt.totalMemory() - rt.freeMemory();
                    t0 = System.nanoTime();
                    ClusterPageView page = duplicates.clusters(user, HashKind.PHASH, r, null, 50);
                    double miss = (System.nanoTime() - t0) / 1e9;
                    long grew = (rt.totalMemory() - rt.freeMemory() - before) / (1024 * 1024);
                    LibraryClusters lc = cache.get(new ClusterCache.Key(user, HashKind.PHASH, r), 0, v -> {
                        throw new IllegalStateException("expected in the cache");
                    });
                    long[] pageNanos = new long[20];
                    int pages = 0;
                    String cursor = page.next_cursor();
                    t0 = System.nanoTime();
                    duplicates.clusters(user, HashKind.PHASH, r, null, 50);
                    pageNanos[pages++] = System.nanoTime() - t0;
                    while (cursor != null && pages < pageNanos.length) {
                        t0 = System.nanoTime();
                        ClusterPageView next = duplicates.clusters(user, HashKind.PHASH, r, ClusterCursor.decode(cursor), 50);
                        pageNanos[pages++] = System.nanoTime() - t0;
                        cursor = next.next_cursor();
                    }
                    long[] done = Arrays.copyOf(pageNanos, pages);
                    Arrays.sort(done);
                    print("%n  GET /v1/duplicates at r=%d: %,d images -> %,d clusters (%,d images); first page (cache miss) "
                                    + "%.1f s = read %.1f s + cluster %.1f s + page; heap grew %,d MB while computing; cached "
                                    + "result %,d bytes; later pages of 50 clusters (cache hit): p50 %.1f ms, max %.1f ms over %d",
                            r, lc.libraryImages(), lc.clusterCount(), lc.imageCount(), miss, lc.readMillis() / 1e3,
                            lc.clusterMillis() / 1e3, grew, lc.bytes(), done[pages / 2] / 1e6, done[pages - 1] / 1e6, pages);
                }
                print("%n");
            }
        } finally {
            // leave the shared test database as it was
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("delete from images where user_id = " + user);
            }
        }
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/duplicates-bench.txt"), report.toString());
    }

    /**
     * orientation=any at distance r: for each turned pair, its first image's eight orientations' hashes probed through
     * AnyOrientation (what the endpoints run), against the same images as orientation=same (one probe); recall counts
     * the partner found with the turn it was planted at; the first 20 answers are checked against a brute force.
     */
    private void anyOrientation(Connection c, long user, String[] ids, long[] phash, int base, long[][] turns,
            Orientation[] turnOf, int[] turnedDistance, int r) throws SQLException {
        int queries = turns.length;
        long[] same = new long[queries];
        long[] any = new long[queries];
        int found = 0;
        int exact = 0;
        int checked = Math.min(20, queries);
        long results = 0;
        for (int p = -Math.min(100, queries); p < queries; p++) { // negative: warm-up
            int q = Math.floorMod(p, queries);
            int a = base + 2 * q;
            long t0 = System.nanoTime();
            HashIndex.find(c, HashIndex.Query.of(user, HashKind.PHASH, phash[a], r, 100_000), HashIndex.Strategy.BANDS);
            long t1 = System.nanoTime();
            java.util.Map<Orientation, HashIndex.Query> probes = new java.util.EnumMap<>(Orientation.class);
            for (Orientation o : Orientation.values()) {
                probes.put(o, HashIndex.Query.of(user, HashKind.PHASH, turns[q][o.exif() - 1], r, 100_000));
            }
            List<AnyOrientation.Found> got = AnyOrientation.find(c, probes, HashIndex.Strategy.BANDS, 100_000);
            long t2 = System.nanoTime();
            if (p < 0) continue;
            same[p] = t1 - t0;
            any[p] = t2 - t1;
            results += got.size();
            for (AnyOrientation.Found f : got) {
                if (f.match().id().equals(ids[a + 1]) && f.turn() == turnOf[q].inverse()) found++;
            }
            if (p < checked) {
                Set<String> truth = new HashSet<>();
                for (int i = 0; i < phash.length; i++) {
                    for (long t : turns[q]) {
                        if (Long.bitCount(phash[i] ^ t) <= r) truth.add(ids[i]);
                    }
                }
                Set<String> gotIds = new HashSet<>();
                for (AnyOrientation.Found f : got) gotIds.add(f.match().id());
                if (truth.equals(gotIds)) exact++;
            }
        }
        Arrays.sort(same);
        Arrays.sort(any);
        int p95 = (int) Math.ceil(queries * 0.95) - 1;
        print("%n  orientation=any at r=%d, %,d planted turned pairs (each of the 7 turns, distances 1..6):%n"
                        + "    same: p50 %.2f ms, p95 %.2f ms; any (8 probes): p50 %.2f ms, p95 %.2f ms, max %.1f ms "
                        + "(p95 %.1fx same); recall with the right orientation %d/%d; exact %d/%d; mean results %.1f%n",
                r, queries, same[queries / 2] / 1e6, same[p95] / 1e6, any[queries / 2] / 1e6, any[p95] / 1e6,
                any[queries - 1] / 1e6, (double) any[p95] / same[p95], found, queries, exact, checked,
                (double) results / queries);
    }

    /** Where a scan beats the probes: p50 of both on smaller libraries (random queries, so few results). */
    private void smallLibraries(Connection c) throws SQLException {
        print("%n  smaller libraries (p50 ms, bands / scan; * = what HashIndex.choose picks):%n  %-9s", "hashes");
        int[] radii = {6, 10, 12, 16};
        for (int r : radii) print(" %16s", "r=" + r);
        print("%n");
        Random random = new Random(5);
        for (int size : new int[]{1_000, 5_000, 20_000, 100_000}) {
            long user = TestUsers.create("pro").userId();
            long[] h = random.longs(size).toArray();
            TestLibraries.insert(c, user, h, h.clone());
            try (Statement s = c.createStatement()) {
                s.execute("vacuum analyze image_hashes");
            }
            print("  %-9s", String.format(Locale.ROOT, "%,d", size));
            for (int r : radii) {
                double[] p50 = new double[2];
                for (HashIndex.Strategy strategy : HashIndex.Strategy.values()) {
                    int queries = 60;
                    long[] nanos = new long[queries];
                    for (int q = -10; q < queries; q++) {
                        HashIndex.Query query = HashIndex.Query.of(user, HashKind.PHASH, random.nextLong(), r, 1000);
                        long t0 = System.nanoTime();
                        HashIndex.find(c, query, strategy);
                        if (q >= 0) nanos[q] = System.nanoTime() - t0;
                    }
                    Arrays.sort(nanos);
                    p50[strategy.ordinal()] = nanos[queries / 2] / 1e6;
                }
                boolean bands = HashIndex.choose(r, size) == HashIndex.Strategy.BANDS;
                print(" %16s", String.format(Locale.ROOT, "%s%.1f / %s%.1f", bands ? "*" : "", p50[0], bands ? "" : "*", p50[1]));
            }
            print("%n");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("delete from images where user_id = " + user);
            }
        }
    }

    record Stats(int queries, double p50, double p95, double max, int plantedExpected, int plantedFound,
                 int exactAnswers, long results) {}

    private static Stats run(Connection c, long user, String[] ids, long[] phash, int rows, int pairs,
                             int[] plantedDistance, int r, int queries, HashIndex.Strategy strategy) throws SQLException {
        long[] nanos = new long[queries];
        int expected = 0;
        int found = 0;
        int exact = 0;
        long results = 0;
        for (int p = 0; p < queries; p++) {
            int a = rows + 2 * p;
            long q = phash[a];
            HashIndex.Query query = HashIndex.Query.of(user, HashKind.PHASH, q, r, 100_000);
            long t0 = System.nanoTime();
            List<HashIndex.Match> got = HashIndex.find(c, query, strategy);
            nanos[p] = System.nanoTime() - t0;
            results += got.size();
            Set<String> gotIds = new HashSet<>();
            for (HashIndex.Match m : got) gotIds.add(m.id());
            if (plantedDistance[p] <= r) {
                expected++;
                if (gotIds.contains(ids[a + 1])) found++;
            }
            // everything within r, by brute force over the whole library
            List<String> truth = new ArrayList<>();
            for (int i = 0; i < phash.length; i++) {
                if (Long.bitCount(phash[i] ^ q) <= r) truth.add(ids[i]);
            }
            if (truth.size() == got.size() && gotIds.containsAll(truth)) exact++;
        }
        Arrays.sort(nanos);
        return new Stats(queries, nanos[queries / 2] / 1e6, nanos[(int) Math.ceil(queries * 0.95) - 1] / 1e6,
                nanos[queries - 1] / 1e6, expected, found, exact, results);
    }

    private void row(int r, String path, Stats s) {
        print("  %-5d %-6s %8d %8.2f %8.2f %8.1f %9s %9s %10.1f%n", r, path, s.queries(), s.p50(), s.p95(), s.max(),
                s.plantedExpected() == 0 ? "-" : String.format(Locale.ROOT, "%d/%d", s.plantedFound(), s.plantedExpected()),
                s.exactAnswers() + "/" + s.queries(), (double) s.results() / s.queries());
    }

    private static String explain(Connection c, long user, long hash, int r) throws SQLException {
        HashIndex.Query q = HashIndex.Query.of(user, HashKind.PHASH, hash, r, 100_000);
        return TestLibraries.explain(c, q, HashIndex.Strategy.BANDS, true);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String indent(String text) {
        // the probe arrays make some lines very long: keep the plan's shape readable
        return text.lines().map(l -> "    " + (l.length() > 150 ? l.substring(0, 147) + "..." : l))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private void print(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        report.append(s);
        System.err.print(s); // progress while it runs
    }
}
