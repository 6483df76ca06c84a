package dev.exifq.duplicates;

import dev.exifq.hashing.Hamming;
import dev.exifq.platform.Ulid;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes synthetic processed images straight into images and image_hashes (the rows ImageResults writes),
 * by COPY, so the hash index can be tested and benchmarked on libraries far larger than the corpus.
 */
final class TestLibraries {
    private static final int CHUNK = 50_000;

    private TestLibraries() {}

    /** PostgreSQL's plan for a HashIndex query, with the parameters bound as the application binds them. */
    static String explain(Connection c, HashIndex.Query q, HashIndex.Strategy strategy, boolean analyze)
            throws SQLException {
        String sql = "explain " + (analyze ? "(analyze, buffers) " : "") + HashIndex.sql(q, strategy);
        StringBuilder plan = new StringBuilder();
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            HashIndex.bind(c, ps, q, strategy);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    /** Inserts one processed image per hash pair for the user; returns the new ids, in order. */
    static String[] insert(Connection c, long userId, long[] phash, long[] dhash) throws SQLException {
        String[] ids = new String[phash.length];
        for (int i = 0; i < ids.length; i++) ids[i] = Ulid.next();
        return insert(c, userId, ids, phash, dhash);
    }

    /** Valid ULIDs that sort in the order given (Ulid.next() does not within one millisecond). */
    static String[] orderedIds(int n) {
        String alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        String prefix = Ulid.next().substring(0, 12);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder tail = new StringBuilder();
            for (int v = i, k = 0; k < 14; k++, v /= 32) tail.insert(0, alphabet.charAt(v % 32));
            ids[i] = prefix + tail;
        }
        return ids;
    }

    /** Inserts one processed image per id and hash pair for the user. */
    static String[] insert(Connection c, long userId, String[] ids, long[] phash, long[] dhash) throws SQLException {
        try {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < ids.length; from += CHUNK) {
                int to = Math.min(ids.length, from + CHUNK);
                StringBuilder images = new StringBuilder();
                StringBuilder hashes = new StringBuilder();
                for (int i = from; i < to; i++) {
                    long p = phash[i];
                    long d = dhash[i];
                    images.append(ids[i]).append('\t').append(userId).append("\tprocessed\tsynthetic-").append(i)
                            .append(".jpg\t").append(Hamming.hex(p)).append(Hamming.hex(d)).append(Hamming.hex(~p))
                            .append(Hamming.hex(i)).append('\t').append(Hamming.hex(p)).append('\t')
                            .append(Hamming.hex(d)).append("\tnow\tnow\n");
                    hashes.append(ids[i]).append('\t').append(userId).append('\t').append(p).append('\t').append(d);
                    for (int b = 0; b < 4; b++) hashes.append('\t').append(BandProbes.band(p, b));
                    for (int b = 0; b < 4; b++) hashes.append('\t').append(BandProbes.band(d, b));
                    hashes.append('\n');
                }
                copy.copyIn("copy images (id, user_id, status, filename, checksum, phash, dhash, created_at, updated_at) "
                        + "from stdin", new StringReader(images.toString()));
                copy.copyIn("copy image_hashes (image_id, user_id, phash, dhash, p0, p1, p2, p3, d0, d1, d2, d3) "
                        + "from stdin", new StringReader(hashes.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }
}
