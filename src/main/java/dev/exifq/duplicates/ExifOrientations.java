package dev.exifq.duplicates;

import dev.exifq.hashing.Orientation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The EXIF Orientation of images, from the metadata ExifTool printed for them ({@code -g}: EXIF:Orientation). */
final class ExifOrientations {
    /** ExifTool's print conversion of Orientation 1..8. */
    private static final List<String> PRINTED = List.of("Horizontal (normal)", "Mirror horizontal", "Rotate 180",
            "Mirror vertical", "Mirror horizontal and rotate 270 CW", "Rotate 90 CW", "Mirror horizontal and rotate 90 CW",
            "Rotate 270 CW");

    private ExifOrientations() {}

    /** ExifTool's text (or number) for Orientation; identity for anything else, as viewers do. */
    static Orientation parse(String printed) {
        if (printed == null) {
            return Orientation.IDENTITY;
        }
        int i = PRINTED.indexOf(printed.trim());
        if (i >= 0) {
            return Orientation.ofExif(i + 1);
        }
        return printed.trim().matches("[1-8]") ? Orientation.ofExif(Integer.parseInt(printed.trim())) : Orientation.IDENTITY;
    }

    /** By id, for the user's images among {@code ids}; images not found are left out. */
    static Map<String, Orientation> of(Connection c, long userId, List<String> ids) throws SQLException {
        Map<String, Orientation> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select id, case when metadata is json object then metadata::jsonb #>> '{EXIF,Orientation}' end
                  from images where id = any(?::bpchar[]) and user_id = ?""")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), parse(rs.getString(2)));
                }
            }
        }
        return out;
    }
}
