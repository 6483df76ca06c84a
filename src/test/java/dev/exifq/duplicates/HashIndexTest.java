package dev.exifq.duplicates;

import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The band lookup against the scan and a brute force in Java, on a synthetic library in the real database. */
@QuarkusTest
class HashIndexTest {
    @Inject
    DataSource db;

    /** 6,000 hashes, a third of them 1..16 bits from an earlier one so every radius has matches, and the same
     *  hashes again for another user, who must never be returned. */
    private record Library(long user, String[] ids, long[] phash, long[] dhash) {}

    private static Library library;

    private synchronized Library library() throws SQLException {
        if (library == null) {
            long user = TestUsers.create("pro").userId();
            long other = TestUsers.create("pro").userId();
            Random random = new Random(7);
            int n = 6000;
            long[] phash = new long[n];
            long[] dhash = new long[n];
            for (int i = 0; i < n; i++) {
                phash[i] = i > 0 && i % 3 == 0 ? phash[random.nextInt(i)] ^ mask(random, 1 + random.nextInt(16)) : random.nextLong();
                dhash[i] = i > 0 && i % 3 == 0 ? dhash[random.nextInt(i)] ^ mask(random, random.nextInt(10)) : random.nextLong();
            }
            try (Connection c = db.getConnection()) {
                String[] ids = TestLibraries.insert(c, user, phash, dhash);
                TestLibraries.insert(c, other, phash, dhash);
                try (Statement s = c.createStatement()) {
                    s.execute("analyze image_hashes");
                    s.execute("analyze images");
                }
                library = new Library(user, ids, phash, dhash);
            }
        }
        return library;
    }

    @Test
    void bandsFindExactlyWhatTheScanFinds() throws SQLException {
        Library lib = library();
        Random random = new Random(8);
        int n = lib.ids().length;
        try (Connection c = db.getConnection()) {
            int checked = 0;
            for (int q = 0; q < 12; q++) {
                long query = q % 2 == 0 ? lib.phash()[random.nextInt(n)] ^ mask(random, random.nextInt(4)) : random.nextLong();
                long dquery = lib.dhash()[random.nextInt(n)];
                for (int r = 0; r <= 16; r++) {
                    for (HashKind kind : HashKind.values()) {
                        long h = kind == HashKind.PHASH ? query : dquery;
                        long[] column = kind == HashKind.PHASH ? lib.phash() : lib.dhash();
                        HashIndex.Query query1 = HashIndex.Query.of(lib.user(), kind, h, r, 100_000);
                        List<HashIndex.Match> expected = bruteForce(lib.ids(), column, h, r);
                        assertEquals(expected, HashIndex.find(c, query1, HashIndex.Strategy.BANDS), "bands, r=" + r);
                        assertEquals(expected, HashIndex.find(c, query1, HashIndex.Strategy.SCAN), "scan, r=" + r);
                        checked += expected.size();
                    }
                }
            }
            assertTrue(checked > 200, "the queries must hit something: " + checked);
        }
    }

    @Test
    void bothHashesMustMatchWhenBothAreGiven() throws SQLException {
        long user = TestUsers.create("pro").userId();
        long p = 0x0123_4567_89AB_CDEFL;
        long d = 0x7654_3210_FEDC_BA98L;
        long[] phash = {p, p ^ 0b11, p ^ 0b111, p ^ 0xFF00L};
        long[] dhash = {d, d ^ 0b1, d ^ 0xFFFF_FFFFL, d ^ 0b1111};
        try (Connection c = db.getConnection()) {
            String[] ids = TestLibraries.insert(c, user, phash, dhash);
            List<HashIndex.Match> found = HashIndex.find(c,
                    HashIndex.Query.of(user, HashKind.PHASH, p, 6, 10).alsoWithin(HashKind.DHASH, d));
            assertEquals(List.of(new HashIndex.Match(ids[0], "synthetic-0.jpg", 0),
                    new HashIndex.Match(ids[1], "synthetic-1.jpg", 2)), found);
            List<HashIndex.Match> excluding = HashIndex.find(c,
                    HashIndex.Query.of(user, HashKind.PHASH, p, 8, 10).excluding(ids[0], "nothing-has-this"));
            assertEquals(List.of(ids[1], ids[2], ids[3]), excluding.stream().map(HashIndex.Match::id).toList());
        }
    }

    @Test
    void theBandFilterIsAnsweredFromTheIndexes() throws SQLException {
        Library lib = library();
        try (Connection c = db.getConnection()) {
            for (HashKind kind : HashKind.values()) {
                HashIndex.Query q = HashIndex.Query.of(lib.user(), kind, lib.phash()[5], 6, 100);
                String plan = explain(c, q);
                for (int b = 0; b < 4; b++) {
                    assertTrue(plan.contains("image_hashes_" + kind.bandColumn(b)), "band " + b + " index not used:\n" + plan);
                }
            }
        }
    }

    @Test
    void versionMovesWhenTheLibraryChanges() throws SQLException {
        long user = TestUsers.create("pro").userId();
        try (Connection c = db.getConnection()) {
            long v0 = DuplicatesService.libraryVersion(c, user);
            String[] ids = TestLibraries.insert(c, user, new long[]{1, 2}, new long[]{3, 4});
            long v1 = DuplicatesService.libraryVersion(c, user);
            assertTrue(v1 > v0);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("update images set updated_at = now() where id = '" + ids[0] + "'");
                assertEquals(v1, DuplicatesService.libraryVersion(c, user), "an irrelevant update");
                s.executeUpdate("update images set filename = 'renamed.jpg' where id = '" + ids[0] + "'");
                long v2 = DuplicatesService.libraryVersion(c, user);
                assertTrue(v2 > v1, "a rename shows in the clusters");
                s.executeUpdate("delete from images where id = '" + ids[1] + "'");
                assertTrue(DuplicatesService.libraryVersion(c, user) > v2, "a deletion");
            }
        }
    }

    private static String explain(Connection c, HashIndex.Query q) throws SQLException {
        // the same statement with the probes inlined, as the planner sees it with custom plans
        String sql = HashIndex.sql(q, HashIndex.Strategy.BANDS);
        int radius = BandProbes.bandRadius(q.maxDistance());
        sql = sql.replaceFirst("\\?", Long.toString(q.hash())).replaceFirst("\\?", Long.toString(q.userId()));
        for (int b = 0; b < 4; b++) {
            StringBuilder arr = new StringBuilder("'{");
            for (int v : BandProbes.within(BandProbes.band(q.hash(), b), radius)) arr.append(v).append(',');
            arr.setLength(arr.length() - 1);
            sql = sql.replaceFirst("\\?", arr.append("}'::int[]").toString());
        }
        sql = sql.replaceFirst("\\?", Long.toString(q.hash())).replaceFirst("\\?", Integer.toString(q.maxDistance()))
                .replaceFirst("\\?", Integer.toString(q.limit()));
        StringBuilder plan = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("explain " + sql)) {
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
        }
        return plan.toString();
    }

    private static List<HashIndex.Match> bruteForce(String[] ids, long[] hashes, long q, int r) {
        List<HashIndex.Match> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            int d = Long.bitCount(hashes[i] ^ q);
            if (d <= r) out.add(new HashIndex.Match(ids[i], "synthetic-" + i + ".jpg", d));
        }
        out.sort(Comparator.comparingInt(HashIndex.Match::distance).thenComparing(HashIndex.Match::id));
        return out;
    }

    static long mask(Random random, int bits) {
        long m = 0;
        while (Long.bitCount(m) < bits) m |= 1L << random.nextInt(64);
        return m;
    }
}
