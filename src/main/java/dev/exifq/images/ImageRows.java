package dev.exifq.images;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * An {@link Image} read from a plain-JDBC row of {@code images} (every column), for the per-image hot path where
 * one statement in autocommit replaces a Hibernate session and a JTA transaction (README, Benchmarks). The object
 * is not managed: changes to it are never written back.
 */
final class ImageRows {
    private ImageRows() {}

    static Image read(ResultSet rs) throws SQLException {
        Image i = new Image();
        i.id = rs.getString("id");
        i.userId = rs.getLong("user_id");
        i.status = rs.getString("status");
        i.sourceUrl = rs.getString("source_url");
        i.finalUrl = rs.getString("final_url");
        i.filename = rs.getString("filename");
        i.blobKey = rs.getString("blob_key");
        i.checksum = rs.getString("checksum");
        i.bytesize = nullableLong(rs, "bytesize");
        i.contentType = rs.getString("content_type");
        i.width = nullableInt(rs, "width");
        i.height = nullableInt(rs, "height");
        i.dhash = rs.getString("dhash");
        i.phash = rs.getString("phash");
        i.metadata = rs.getString("metadata");
        i.camera = rs.getString("camera");
        i.lens = rs.getString("lens");
        i.hashSource = rs.getString("hash_source");
        i.hashError = rs.getString("hash_error");
        i.cached = rs.getBoolean("cached");
        i.errorCode = rs.getString("error_code");
        i.error = rs.getString("error");
        i.attempts = rs.getInt("attempts");
        i.claimedBy = rs.getString("claimed_by");
        i.claimExpiresAt = instant(rs, "claim_expires_at");
        i.originalDeletedAt = instant(rs, "original_deleted_at");
        i.edit = rs.getString("edit");
        i.callbackUrl = rs.getString("callback_url");
        i.batchId = rs.getString("batch_id");
        i.completedAt = instant(rs, "completed_at");
        i.createdAt = instant(rs, "created_at");
        i.updatedAt = instant(rs, "updated_at");
        return i;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
