package dev.exifq.writes;

import dev.exifq.metadata.EditSpec;
import dev.exifq.platform.ApiException;

import java.math.BigDecimal;
import java.util.List;

/**
 * EXIF GPS position tags from signed decimal degrees: the value unsigned and its reference (N/S, E/W; for
 * altitude above/below sea level), as EXIF stores them.
 */
final class GpsTags {
    private GpsTags() {}

    static List<EditSpec.TagValue> latitude(String field, BigDecimal latitude) {
        check(field, latitude, 90);
        return List.of(number(field, "GPS:GPSLatitude", latitude.abs()),
                EditSpec.TagValue.text(field, "GPS:GPSLatitudeRef", latitude.signum() < 0 ? "S" : "N"));
    }

    static List<EditSpec.TagValue> longitude(String field, BigDecimal longitude) {
        check(field, longitude, 180);
        return List.of(number(field, "GPS:GPSLongitude", longitude.abs()),
                EditSpec.TagValue.text(field, "GPS:GPSLongitudeRef", longitude.signum() < 0 ? "W" : "E"));
    }

    /** Metres; negative is below sea level. */
    static List<EditSpec.TagValue> altitude(String field, BigDecimal altitude) {
        check(field, altitude, 100_000);
        return List.of(number(field, "GPS:GPSAltitude", altitude.abs()),
                number(field, "GPS:GPSAltitudeRef", BigDecimal.valueOf(altitude.signum() < 0 ? 1 : 0)));
    }

    /** Parses a form value; null when absent. */
    static BigDecimal parse(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.badRequest("missing_" + field, "'" + field + "' is required.");
            }
            return null;
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_" + field, "'" + field + "' must be a decimal number.");
        }
    }

    private static void check(String field, BigDecimal value, int limit) {
        if (value.abs().compareTo(BigDecimal.valueOf(limit)) > 0) {
            throw ApiException.badRequest("invalid_" + field, "'" + field + "' must be between -" + limit + " and "
                    + limit + ".");
        }
    }

    private static EditSpec.TagValue number(String field, String tag, BigDecimal value) {
        BigDecimal v = value.scale() > 10 ? value.setScale(10, java.math.RoundingMode.HALF_EVEN) : value;
        return new EditSpec.TagValue(field, tag, List.of(v.stripTrailingZeros().toPlainString()), true);
    }
}
