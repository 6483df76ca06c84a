package dev.exifq.duplicates;

import org.postgresql.PGStatement;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Near-duplicate lookups in image_hashes by multi-index hashing. For max distance r each of the four 16-bit
 * bands is probed with every value within floor(r/4) bits of the query's band (at least one band of a true
 * match is that close), through the (user_id, band, hash) indexes; the real Hamming distance is checked in
 * PostgreSQL on the index entries. {@link Strategy#SCAN} is the same SQL without the band filter: it reads
 * all of the user's hashes, and is used where that is cheaper than the probes (a library with fewer hashes
 * than there are probes, which grow quickly with r). Plain JDBC, so the benchmark runs exactly this code.
 */
public final class HashIndex {
    /**
     * A band probe (one value looked up in one (user_id, band, hash) index) costs about as much as checking
     * this many hashes in a scan (a few tenths of a microsecond each): measured on PostgreSQL 17 with 1,000
     * to 1,000,000 hashes, docs/duplicates.md.
     */
    static final int SCAN_ROWS_PER_PROBE = 1;

    public enum Strategy { BANDS, SCAN }

    /** The user's processed images within {@code maxDistance} of {@code hash}, nearest first, ties by id. */
    public record Query(long userId, HashKind kind, long hash, int maxDistance, HashKind alsoKind, Long alsoHash,
                        String excludeId, String excludeChecksum, int limit) {

        public static Query of(long userId, HashKind kind, long hash, int maxDistance, int limit) {
            return new Query(userId, kind, hash, maxDistance, null, null, null, null, limit);
        }

        /** Also require the other hash within {@code maxDistance}; the distance reported is the larger one. */
        public Query alsoWithin(HashKind otherKind, long otherHash) {
            return new Query(userId, kind, hash, maxDistance, otherKind, otherHash, excludeId, excludeChecksum, limit);
        }

        /** Leave out one image (the query image itself) and the images with its checksum (its exact copies). */
        public Query excluding(String imageId, String checksum) {
            return new Query(userId, kind, hash, maxDistance, alsoKind, alsoHash, imageId, checksum, limit);
        }
    }

    public record Match(String id, String filename, int distance) {}

    private HashIndex() {}

    /**
     * Probes the bands unless the user's library is so small that reading all of its hashes is cheaper:
     * 4 x sum C(16, i), i &lt;= floor(r/4), probes (68 at r = 6, 548 at 10, 2,788 at 12..15, 10,068 at 16)
     * against one check per hash.
     */
    public static Strategy choose(int maxDistance, long libraryHashes) {
        long probes = (long) BandProbes.BANDS * BandProbes.count(BandProbes.bandRadius(maxDistance));
        return libraryHashes < SCAN_ROWS_PER_PROBE * probes ? Strategy.SCAN : Strategy.BANDS;
    }

    public static List<Match> find(Connection c, Query q, Strategy strategy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(q, strategy))) {
            if (strategy == Strategy.SCAN) {
                customPlans(ps);
            }
            bind(c, ps, q, strategy);
            List<Match> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Match(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
            return out;
        }
    }

    /**
     * A scan is only right for a small library; a generic plan (pgjdbc prepares a statement on the server
     * after 5 uses, and PostgreSQL may then plan it once for any user) cannot tell a small library from the
     * biggest and reads the whole table. Planning each scan for its user costs well under a millisecond.
     */
    private static void customPlans(PreparedStatement ps) throws SQLException {
        if (ps.isWrapperFor(PGStatement.class)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    }

    /** Sets the parameters of {@link #sql}, in its order. */
    static void bind(Connection c, PreparedStatement ps, Query q, Strategy strategy) throws SQLException {
        int p = 1;
        if (strategy == Strategy.BANDS) {
            int radius = BandProbes.bandRadius(q.maxDistance());
            for (int b = 0; b < BandProbes.BANDS; b++) {
                int[] values = BandProbes.within(BandProbes.band(q.hash(), b), radius);
                Integer[] boxed = new Integer[values.length];
                for (int i = 0; i < values.length; i++) boxed[i] = values[i];
                Array array = c.createArrayOf("integer", boxed);
                ps.setLong(p++, q.userId());
                ps.setArray(p++, array);
                ps.setLong(p++, q.hash());
                ps.setInt(p++, q.maxDistance());
            }
        } else {
            ps.setLong(p++, q.userId());
            ps.setLong(p++, q.hash());
            ps.setInt(p++, q.maxDistance());
        }
        ps.setLong(p++, q.hash());
        if (q.alsoKind() != null) {
            ps.setLong(p++, q.alsoHash());
        }
        ps.setLong(p++, q.userId());
        if (q.alsoKind() != null) {
            ps.setLong(p++, q.alsoHash());
            ps.setInt(p++, q.maxDistance());
        }
        if (q.excludeId() != null) {
            ps.setString(p++, q.excludeId());
        }
        if (q.excludeChecksum() != null) {
            ps.setString(p++, q.excludeChecksum());
        }
        ps.setInt(p, q.limit());
    }

    /**
     * First the distinct hash values within the distance, from index-only scans of the (user_id, band, hash)
     * indexes (one per band, the Filter checks the real distance on the index tuple, so non-matching
     * candidates never touch the table); then the rows with those values through (user_id, hash).
     */
    static String sql(Query q, Strategy strategy) {
        String hash = q.kind().column();
        String within = "bit_count((" + hash + " # ?)::bit(64)) <= ?";
        StringBuilder sql = new StringBuilder("with near as (\n");
        if (strategy == Strategy.BANDS) {
            for (int b = 0; b < BandProbes.BANDS; b++) {
                sql.append(b == 0 ? "" : "    union\n")
                        .append("    select ").append(hash).append(" as hash from image_hashes where user_id = ? and ")
                        .append(q.kind().bandColumn(b)).append(" = any(?) and ").append(within).append('\n');
            }
        } else {
            // distinct, as the union above: each matching value once, however many images share it
            sql.append("    select distinct ").append(hash).append(" as hash from image_hashes where user_id = ? and ")
                    .append(within).append('\n');
        }
        sql.append(")\n");
        String distance = "bit_count((h." + hash + " # ?)::bit(64))";
        if (q.alsoKind() != null) {
            distance = "greatest(" + distance + ", bit_count((h." + q.alsoKind().column() + " # ?)::bit(64)))";
        }
        // lateral: the rows of each matching value through (user_id, hash), whatever the planner guesses
        sql.append("select m.image_id, m.filename, m.distance\n")
                .append("  from near cross join lateral (\n")
                .append("       select h.image_id, i.filename, ").append(distance).append(" as distance\n")
                .append("         from image_hashes h join images i on i.id = h.image_id\n")
                .append("        where h.user_id = ? and h.").append(hash).append(" = near.hash and i.status = 'processed'\n");
        if (q.alsoKind() != null) {
            sql.append("          and bit_count((h.").append(q.alsoKind().column()).append(" # ?)::bit(64)) <= ?\n");
        }
        if (q.excludeId() != null) {
            sql.append("          and h.image_id <> ?\n");
        }
        if (q.excludeChecksum() != null) {
            sql.append("          and i.checksum is distinct from ?\n");
        }
        // offset 0 keeps the lateral a per-value index lookup: flattened into a join, PostgreSQL's guess that a
        // third of the hashes pass the distance filter makes it hash-join whole tables (a scan of a million
        // hashes took 0.6 s instead of 0.15 s)
        sql.append("       offset 0) m\n order by m.distance, m.image_id\n limit ?");
        return sql.toString();
    }
}
