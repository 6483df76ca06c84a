package dev.exifq.duplicates;

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
 * match is that close), through the (user_id, band) indexes; the real Hamming distance is then checked in
 * PostgreSQL. {@link Strategy#SCAN} is the same SQL without the band filter: it reads all of the user's
 * hashes, and is used where the probes would cost more than that (large r). Plain JDBC, so the benchmark
 * runs exactly this code.
 */
public final class HashIndex {
    /**
     * Up to this distance the band probes are used (floor(r/4) &lt;= 3: at most 4 x 697 probes); beyond it,
     * r = 16, each band needs 2,517 probes, which reads about 15 % of a uniformly spread library through
     * random index and heap accesses, and the scan is as fast or faster (docs/duplicates.md has the figures).
     */
    public static final int MAX_BANDED_DISTANCE = 15;

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

    public static Strategy choose(int maxDistance) {
        return maxDistance <= MAX_BANDED_DISTANCE ? Strategy.BANDS : Strategy.SCAN;
    }

    public static List<Match> find(Connection c, Query q) throws SQLException {
        return find(c, q, choose(q.maxDistance()));
    }

    public static List<Match> find(Connection c, Query q, Strategy strategy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(q, strategy))) {
            int p = 1;
            ps.setLong(p++, q.hash());
            if (q.alsoKind() != null) {
                ps.setLong(p++, q.alsoHash());
            }
            ps.setLong(p++, q.userId());
            if (strategy == Strategy.BANDS) {
                int radius = BandProbes.bandRadius(q.maxDistance());
                for (int b = 0; b < BandProbes.BANDS; b++) {
                    int[] values = BandProbes.within(BandProbes.band(q.hash(), b), radius);
                    Integer[] boxed = new Integer[values.length];
                    for (int i = 0; i < values.length; i++) boxed[i] = values[i];
                    Array array = c.createArrayOf("integer", boxed);
                    ps.setArray(p++, array);
                }
            }
            ps.setLong(p++, q.hash());
            ps.setInt(p++, q.maxDistance());
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
            List<Match> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Match(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
            return out;
        }
    }

    static String sql(Query q, Strategy strategy) {
        String primary = "bit_count((h." + q.kind().column() + " # ?)::bit(64))";
        String distance = primary;
        if (q.alsoKind() != null) {
            distance = "greatest(" + primary + ", bit_count((h." + q.alsoKind().column() + " # ?)::bit(64)))";
        }
        StringBuilder sql = new StringBuilder()
                .append("select h.image_id, i.filename, ").append(distance).append(" as distance\n")
                .append("  from image_hashes h join images i on i.id = h.image_id\n")
                .append(" where h.user_id = ?\n");
        if (strategy == Strategy.BANDS) {
            sql.append("   and (");
            for (int b = 0; b < BandProbes.BANDS; b++) {
                sql.append(b == 0 ? "" : " or ").append("h.").append(q.kind().bandColumn(b)).append(" = any(?)");
            }
            sql.append(")\n");
        }
        sql.append("   and ").append(primary).append(" <= ?\n");
        if (q.alsoKind() != null) {
            sql.append("   and bit_count((h.").append(q.alsoKind().column()).append(" # ?)::bit(64)) <= ?\n");
        }
        sql.append("   and i.status = 'processed'\n");
        if (q.excludeId() != null) {
            sql.append("   and h.image_id <> ?\n");
        }
        if (q.excludeChecksum() != null) {
            sql.append("   and i.checksum is distinct from ?\n");
        }
        sql.append(" order by distance, h.image_id\n limit ?");
        return sql.toString();
    }
}
