package dev.exifq.images;

import dev.exifq.hashing.OrientedHashes;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Extraction results by (checksum, extractor version): re-submitting the same bytes skips ExifTool. Entries are
 * written with the result that produced them ({@link ImageResults#processed}).
 */
@ApplicationScoped
public class ExtractionCache {
    private final DataSource db;

    public ExtractionCache(DataSource db) {
        this.db = db;
    }

    /** One read in autocommit (plain JDBC): every image without an edit asks once. */
    public Optional<Extraction> find(String checksum, String extractorVersion) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select content_type, width, height, metadata, dhash, phash, hash_source, hash_error, oriented
                       from extraction_cache where checksum = ? and extractor_version = ?""")) {
            ps.setString(1, checksum);
            ps.setString(2, extractorVersion);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Extraction(r.getString(1), ImageRows.nullableInt(r, 2),
                        ImageRows.nullableInt(r, 3), r.getString(4), trim(r.getString(5)), trim(r.getString(6)),
                        OrientedHashes.fromBytes(r.getBytes(9)), r.getString(7), r.getString(8), true, true));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the extraction cache", e);
        }
    }

    private static String trim(Object o) {
        return o == null ? null : o.toString().trim();
    }
}
