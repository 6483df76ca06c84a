package dev.exifq.images;

import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * A caller's image by id, as polls and synchronous requests read it: a primary-key read in autocommit (plain JDBC,
 * no ORM session or JTA transaction: clients poll every image they submit, README, Benchmarks). Not managed: never
 * written back.
 */
@ApplicationScoped
public class OwnedImages {
    private final DataSource db;

    public OwnedImages(DataSource db) {
        this.db = db;
    }

    /** The image, or 404 not_found when the id is malformed, unknown or another account's. */
    public Image owned(String id, long userId) {
        return find(id, userId).orElseThrow(() -> ApiException.notFound("No image with this id."));
    }

    /** Empty when the id is malformed, unknown or another account's. */
    public Optional<Image> find(String id, long userId) {
        String normalised = id == null ? null : id.toLowerCase(Locale.ROOT);
        if (!Ulid.isValid(normalised)) {
            return Optional.empty();
        }
        return read("select * from images where id = ? and user_id = ?", normalised, userId);
    }

    /** Any account's image by its (valid) id: a sync request waiting for its result, a job finding it claimed. */
    Optional<Image> byId(String id) {
        return read("select * from images where id = ?", id, null);
    }

    private Optional<Image> read(String sql, String id, Long userId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            if (userId != null) {
                ps.setLong(2, userId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ImageRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read image " + id, e);
        }
    }
}
