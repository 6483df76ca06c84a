package dev.exifq.duplicates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.hashing.Hamming;
import dev.exifq.platform.ApiException;

import dev.exifq.hashing.Orientation;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Validation of the duplicate endpoints' parameters; every problem is a 400 with a JSON error. */
public final class Params {
    static final int DEFAULT_MAX_DISTANCE = 6;
    static final int MAX_MAX_DISTANCE = 16;
    static final int DEFAULT_SIMILAR_LIMIT = 100;
    static final int MAX_SIMILAR_LIMIT = 1000;
    static final int DEFAULT_CLUSTER_LIMIT = 50;
    static final int MAX_CLUSTER_LIMIT = 500;

    private Params() {}

    public static int maxDistance(String value) {
        return bounded(value, "max_distance", DEFAULT_MAX_DISTANCE, 0, MAX_MAX_DISTANCE);
    }

    static int maxDistance(JsonNode value) {
        return bounded(value, "max_distance", DEFAULT_MAX_DISTANCE, 0, MAX_MAX_DISTANCE);
    }

    static int similarLimit(String value) {
        return bounded(value, "limit", DEFAULT_SIMILAR_LIMIT, 1, MAX_SIMILAR_LIMIT);
    }

    static int similarLimit(JsonNode value) {
        return bounded(value, "limit", DEFAULT_SIMILAR_LIMIT, 1, MAX_SIMILAR_LIMIT);
    }

    static int clusterLimit(String value) {
        return bounded(value, "limit", DEFAULT_CLUSTER_LIMIT, 1, MAX_CLUSTER_LIMIT);
    }

    /** orientation: same (also when absent or empty) or any; true for any. */
    static boolean anyOrientation(String value) {
        if (value == null || value.isEmpty() || value.trim().equalsIgnoreCase("same")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("any")) {
            return true;
        }
        throw ApiException.badRequest("invalid_orientation", "'orientation' must be same or any.");
    }

    static boolean anyOrientation(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_orientation", "'orientation' must be \"same\" or \"any\".");
        }
        return anyOrientation(value.asText());
    }

    /**
     * A hash in a JSON body for orientation=any: an object giving the hash of each of the eight orientations by
     * name (a single hash cannot be turned, so it is refused).
     */
    static Map<Orientation, Long> orientedHashes(JsonNode value, String name) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.badRequest("orientations_needed", "With orientation=any, '" + name + "' must be an "
                    + "object with the hash of each of the eight orientations of the image (identity, mirror, "
                    + "rotate180, flip, transpose, rotate90, transverse, rotate270), e.g. {\"identity\": "
                    + "\"c2c0d0b39296c2f4\", \"rotate90\": ...}: a hash alone cannot be turned.");
        }
        Map<Orientation, Long> out = new EnumMap<>(Orientation.class);
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            Orientation o = Orientation.parse(field);
            if (o == null) {
                throw ApiException.badRequest("invalid_" + name, "Unknown orientation '" + field + "' in '" + name
                        + "'; the eight are identity, mirror, rotate180, flip, transpose, rotate90, transverse, rotate270.");
            }
            out.put(o, hash(value.get(field), name));
        }
        if (out.size() != 8 || out.containsValue(null)) {
            throw ApiException.badRequest("invalid_" + name, "'" + name + "' must give the hash of all eight "
                    + "orientations: identity, mirror, rotate180, flip, transpose, rotate90, transverse, rotate270.");
        }
        return out;
    }

    /** A query parameter: absent or empty means the default; otherwise a whole number in [min, max]. */
    static int bounded(String value, String name, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw outOfRange(name, min, max);
        }
        if (n < min || n > max) {
            throw outOfRange(name, min, max);
        }
        return n;
    }

    /** A JSON field: absent or null means the default; otherwise a whole number in [min, max] (not a string). */
    static int bounded(JsonNode value, String name, int fallback, int min, int max) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw outOfRange(name, min, max);
        }
        return value.intValue();
    }

    /** A hash in a JSON body: absent/null, or exactly 16 hex digits (either case), as imagehash prints it. */
    static Long hash(JsonNode value, String name) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !value.asText().matches("[0-9a-fA-F]{16}")) {
            throw ApiException.badRequest("invalid_" + name,
                    "'" + name + "' must be 16 hex digits, as imagehash prints it (e.g. \"c2c0d0b39296c2f4\").");
        }
        return Hamming.parse(value.asText().toLowerCase(Locale.ROOT));
    }

    private static ApiException outOfRange(String name, int min, int max) {
        return ApiException.badRequest("invalid_" + name,
                "'" + name + "' must be a whole number from " + min + " to " + max + ".");
    }
}
