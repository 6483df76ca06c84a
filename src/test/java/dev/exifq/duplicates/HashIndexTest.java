package dev.exifq.duplicates;

import dev.exifq.platform.Ulid;
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
                    s.execute("vacuum analyze image_hashes"); // as autovacuum would: index-only scans need it
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
            for (HashIndex.Strategy strategy : HashIndex.Strategy.values()) {
                List<HashIndex.Match> found = HashIndex.find(c,
                        HashIndex.Query.of(user, HashKind.PHASH, p, 6, 10).alsoWithin(HashKind.DHASH, d), strategy);
                assertEquals(List.of(new HashIndex.Match(ids[0], "synthetic-0.jpg", 0),
                        new HashIndex.Match(ids[1], "synthetic-1.jpg", 2)), found, strategy.name());
                List<HashIndex.Match> excluding = HashIndex.find(c,
                        HashIndex.Query.of(user, HashKind.PHASH, p, 8, 10).excluding(ids[0], "nothing-has-this"), strategy);
                assertEquals(List.of(ids[1], ids[2], ids[3]), excluding.stream().map(HashIndex.Match::id).toList());
                List<HashIndex.Match> limited = HashIndex.find(c,
                        HashIndex.Query.of(user, HashKind.PHASH, p, 8, 2), strategy);
                assertEquals(List.of(ids[0], ids[1]), limited.stream().map(HashIndex.Match::id).toList());
            }
        }
    }

    @Test
    void theBandFilterIsAnsweredFromTheIndexes() throws SQLException {
        Library lib = library();
        try (Connection c = db.getConnection()) {
            for (HashKind kind : HashKind.values()) {
                HashIndex.Query q = HashIndex.Query.of(lib.user(), kind, lib.phash()[5], 6, 100);
                String plan = TestLibraries.explain(c, q, HashIndex.Strategy.BANDS, false);
                for (int b = 0; b < 4; b++) {
                    assertTrue(plan.contains("Index Only Scan using image_hashes_" + kind.bandColumn(b)),
                            "band " + b + " is not an index-only scan:\n" + plan);
                }
            }
        }
    }

    @Test
    void theMigrationIndexesImagesProcessedBeforeImageHashesExisted() throws Exception {
        long user = TestUsers.create("pro").userId();
        long[] phash = {0, -1, 0x8000_0000_0000_0000L, 0x0123_4567_89AB_CDEFL, 0xFEDC_BA98_7654_3210L};
        long[] dhash = {-1, 0, 0x7FFF_FFFF_FFFF_FFFFL, 0xFEDC_BA98_7654_3210L, 0x0123_4567_89AB_CDEFL};
        String sql = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/resources/db/migration/V4__duplicates.sql"));
        String backfill = sql.substring(sql.indexOf("-- backfill:begin"), sql.indexOf("-- backfill:end"));
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            TestLibraries.insert(c, user, phash, dhash); // images.phash/dhash hex and the rows Java computes
            String rows = "select image_id, phash, dhash, p0, p1, p2, p3, d0, d1, d2, d3 from image_hashes"
                    + " where user_id = " + user + " order by image_id";
            String expected = dump(s, rows);
            s.executeUpdate("delete from image_hashes where user_id = " + user);
            s.executeUpdate(backfill);
            assertEquals(expected, dump(s, rows));
        }
    }

    private static String dump(Statement s, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) out.append(rs.getString(i)).append(' ');
                out.append('\n');
            }
        }
        assertTrue(out.length() > 0);
        return out.toString();
    }

    @Test
    void versionAndCountFollowTheLibrary() throws SQLException {
        long user = TestUsers.create("pro").userId();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertEquals(new DuplicatesService.Library(0, 0), DuplicatesService.library(c, user));
            String[] ids = TestLibraries.insert(c, user, new long[]{1, 2, 3}, new long[]{4, 5, 6});
            DuplicatesService.Library v1 = DuplicatesService.library(c, user);
            assertTrue(v1.version() > 0);
            assertEquals(3, v1.hashedImages());
            s.executeUpdate("update images set updated_at = now() where id = '" + ids[0] + "'");
            assertEquals(v1, DuplicatesService.library(c, user), "an update that changes nothing shown");
            // an image's way through ingest: accepted, claimed, then its result (the one change the clusters see)
            String queued = Ulid.next();
            s.executeUpdate("insert into images (id, user_id, status, filename, attempts, cached, created_at, updated_at)"
                    + " values ('" + queued + "', " + user + ", 'queued', 'new.jpg', 0, false, now(), now())");
            assertEquals(v1, DuplicatesService.library(c, user), "an accepted image");
            s.executeUpdate("update images set status = 'processing', claimed_by = 'node', attempts = 1 where id = '"
                    + queued + "'");
            assertEquals(v1, DuplicatesService.library(c, user), "a claim");
            s.executeUpdate("update images set status = 'processed', checksum = 'ab', claimed_by = null where id = '"
                    + queued + "'");
            DuplicatesService.Library result = DuplicatesService.library(c, user);
            assertEquals(v1.version() + 1, result.version(), "a result");
            // many processed rows changed by one statement: one bump, as with a statement trigger
            s.executeUpdate("update images set filename = 'renamed-' || filename where user_id = " + user);
            DuplicatesService.Library v2 = DuplicatesService.library(c, user);
            assertEquals(result.version() + 1, v2.version(), "a rename of four images shows in the clusters");
            // ImageResults' upsert: a conflict is an update, the count stays
            s.executeUpdate("insert into image_hashes (image_id, user_id, phash, dhash, p0, p1, p2, p3, d0, d1, d2, d3)"
                    + " values ('" + ids[1] + "', " + user + ", 7, 7, 0, 0, 0, 7, 0, 0, 0, 7) on conflict (image_id) do update"
                    + " set phash = excluded.phash, dhash = excluded.dhash, p3 = excluded.p3, d3 = excluded.d3");
            DuplicatesService.Library v3 = DuplicatesService.library(c, user);
            assertTrue(v3.version() > v2.version(), "new hashes");
            assertEquals(3, v3.hashedImages());
            s.executeUpdate("delete from images where id in ('" + ids[1] + "', '" + ids[2] + "')");
            DuplicatesService.Library v4 = DuplicatesService.library(c, user);
            assertTrue(v4.version() > v3.version(), "a deletion");
            assertEquals(1, v4.hashedImages());
        }
    }

    @Test
    void smallLibrariesAreScannedLargeOnesProbed() {
        assertEquals(HashIndex.Strategy.SCAN, HashIndex.choose(6, 50));
        assertEquals(HashIndex.Strategy.BANDS, HashIndex.choose(6, 1_000));
        assertEquals(HashIndex.Strategy.SCAN, HashIndex.choose(16, 5_000));
        assertEquals(HashIndex.Strategy.BANDS, HashIndex.choose(16, 1_000_000));
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
