package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.metadata.EditSpec;
import dev.exifq.metadata.MetadataWriteException;
import dev.exifq.metadata.MetadataWriter;
import dev.exifq.metadata.WritableTags;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code fields} of advanced-edit: a JSON object of ExifTool tag names (checked by {@link WritableTags})
 * to a string, a number (written unconverted, {@code -TAG#=}), an array of those for list tags, or null (the tag
 * is deleted). Numeric GPSLatitude/GPSLongitude/GPSAltitude are signed degrees (metres) and get their
 * reference tags too, unless the client sets those itself.
 */
final class AdvancedFields {
    private static final int MAX_FIELDS = 200;
    private static final int MAX_VALUE_CHARS = 10_000;
    private static final int MAX_LIST = 200;
    private static final Set<String> REFS = Set.of("gpslatituderef", "gpslongituderef", "gpsaltituderef");

    private AdvancedFields() {}

    static List<EditSpec.TagValue> parse(ObjectMapper json, String fields, WritableTags writable) {
        if (fields == null || fields.isBlank()) {
            throw ApiException.badRequest("missing_fields", "'fields' is required: a JSON object of tag names to values.");
        }
        return parse(JsonBodies.object(json, fields, "missing_fields", "'fields' must be a JSON object."), writable);
    }

    static List<EditSpec.TagValue> parse(JsonNode node, WritableTags writable) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("missing_fields", "'fields' must be a JSON object.");
        }
        if (node.size() == 0) {
            throw ApiException.badRequest("missing_fields", "'fields' is empty: nothing to write.");
        }
        if (node.size() > MAX_FIELDS) {
            throw ApiException.badRequest("invalid_fields", "'fields' has more than " + MAX_FIELDS + " tags.");
        }
        boolean clientRefs = false;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            clientRefs |= REFS.contains(n.substring(Math.max(n.lastIndexOf(':'), n.lastIndexOf('.')) + 1).toLowerCase(Locale.ROOT));
        }
        List<EditSpec.TagValue> tags = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String tag;
            try {
                tag = writable.check(name, name);
            } catch (MetadataWriteException refused) {
                throw new ApiException(400, "invalid_field", refused.getMessage(), Map.of("field", name));
            }
            JsonNode value = e.getValue();
            String gps = WritableTags.tagName(tag).toLowerCase(Locale.ROOT);
            if (value.isNumber() && !clientRefs && (WritableTags.group(tag) == null || WritableTags.group(tag).equalsIgnoreCase("GPS")
                    || WritableTags.group(tag).equalsIgnoreCase("EXIF"))) {
                switch (gps) {
                    case "gpslatitude" -> { tags.addAll(GpsTags.latitude(name, decimal(name, value))); continue; }
                    case "gpslongitude" -> { tags.addAll(GpsTags.longitude(name, decimal(name, value))); continue; }
                    case "gpsaltitude" -> { tags.addAll(GpsTags.altitude(name, decimal(name, value))); continue; }
                    default -> { }
                }
            }
            tags.add(tagValue(name, tag, value));
        }
        return tags;
    }

    private static EditSpec.TagValue tagValue(String name, String tag, JsonNode value) {
        if (value.isNull()) {
            return new EditSpec.TagValue(name, tag, List.of(), false);
        }
        if (value.isArray()) {
            if (value.size() > MAX_LIST) {
                throw invalid(name, "has more than " + MAX_LIST + " entries.");
            }
            boolean numeric = value.size() > 0;
            List<String> values = new ArrayList<>();
            for (JsonNode item : value) {
                numeric &= item.isNumber();
                values.add(scalar(name, item));
            }
            return new EditSpec.TagValue(name, tag, values, numeric);
        }
        return new EditSpec.TagValue(name, tag, List.of(scalar(name, value)), value.isNumber());
    }

    private static String scalar(String name, JsonNode value) {
        if (value.isNumber()) {
            BigDecimal d = decimal(name, value);
            String plain = d.stripTrailingZeros().toPlainString();
            if (!MetadataWriter.isPlainNumber(plain)) {
                throw invalid(name, "is a number too large or too precise to write.");
            }
            return plain;
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (s.length() > MAX_VALUE_CHARS) {
                throw invalid(name, "is longer than " + MAX_VALUE_CHARS + " characters.");
            }
            if (s.indexOf('\0') >= 0) {
                throw invalid(name, "contains a NUL character.");
            }
            return s;
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        throw invalid(name, "must be a string, a number, an array of those, or null.");
    }

    private static BigDecimal decimal(String name, JsonNode number) {
        try {
            return number.decimalValue();
        } catch (NumberFormatException e) { // 1e400 parses as an infinite double
            throw invalid(name, "is not a finite number.");
        }
    }

    private static ApiException invalid(String name, String why) {
        return new ApiException(400, "invalid_field", "'" + name + "' " + why, Map.of("field", name));
    }
}
