package dev.exifq.testing;

import dev.exifq.platform.Ulid;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads JobRunr's table directly: what tests check is the row JobRunr itself would act on. */
public final class JobRunrRows {
    private JobRunrRows() {}

    /** The state of an image's job (its id is the image's ULID as a UUID), or "none" when there is no row. */
    public static String state(DataSource dataSource, String imageId) throws SQLException {
        return stateOfJob(dataSource, Ulid.toUuid(imageId).toString());
    }

    /** The state of a job by its id, or "none" when there is no row. */
    public static String stateOfJob(DataSource dataSource, String jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select state from jobrunr_jobs where id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "none";
            }
        }
    }
}
