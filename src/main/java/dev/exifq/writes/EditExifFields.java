package dev.exifq.writes;

import dev.exifq.metadata.EditSpec;
import dev.exifq.platform.ApiException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of {@code POST /api/images/edit-exif} and the tags each is written to: the EXIF, IPTC IIM and XMP
 * tags Google Images and IPTC Photo Metadata readers show (README, "Writing metadata", has this table).
 */
final class EditExifFields {
    /** field -> tags, in the order of the README table. */
    static final Map<String, List<String>> MAPPING = mapping();
    /** Fields whose value is a comma-separated list. */
    private static final String LIST_FIELD = "keywords";
    private static final String DIGITAL_SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/";
    private static final int MAX_VALUE_CHARS = 10_000;

    private EditExifFields() {}

    private static Map<String, List<String>> mapping() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("title", List.of("XMP-dc:Title", "IPTC:ObjectName"));
        m.put("description", List.of("XMP-dc:Description", "IPTC:Caption-Abstract", "IFD0:ImageDescription"));
        m.put("author", List.of("XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist"));
        m.put("keywords", List.of("XMP-dc:Subject", "IPTC:Keywords"));
        m.put("copyright", List.of("XMP-dc:Rights", "IPTC:CopyrightNotice", "IFD0:Copyright"));
        m.put("creditLine", List.of("XMP-photoshop:Credit", "IPTC:Credit"));
        m.put("source", List.of("XMP-photoshop:Source", "IPTC:Source"));
        m.put("webStatementUrl", List.of("XMP-xmpRights:WebStatement"));
        m.put("licensorName", List.of("XMP-plus:LicensorName"));
        m.put("licensorUrl", List.of("XMP-plus:LicensorURL"));
        m.put("usageTerms", List.of("XMP-xmpRights:UsageTerms"));
        m.put("creatorUrl", List.of("XMP-iptcCore:CreatorWorkURL"));
        m.put("creatorEmail", List.of("XMP-iptcCore:CreatorWorkEmail"));
        m.put("digitalSourceType", List.of("XMP-iptcExt:DigitalSourceType"));
        return Collections.unmodifiableMap(m);
    }

    /** The tags to write for the given field values (absent and blank fields are left alone). */
    static List<EditSpec.TagValue> tags(Map<String, String> fields) {
        return tags(MAPPING, fields);
    }

    /** The same for another field -> tags mapping (seo-exif's); {@code keywords} is a comma-separated list. */
    static List<EditSpec.TagValue> tags(Map<String, List<String>> mapping, Map<String, String> fields) {
        List<EditSpec.TagValue> tags = new ArrayList<>();
        mapping.forEach((field, targets) -> {
            String value = fields.get(field);
            if (value == null || value.isBlank()) {
                return;
            }
            List<String> values = values(field, value.strip());
            for (String tag : targets) {
                tags.add(new EditSpec.TagValue(field, tag, values, false));
            }
        });
        return tags;
    }

    private static List<String> values(String field, String value) {
        if (value.length() > MAX_VALUE_CHARS) {
            throw ApiException.badRequest("invalid_" + field, "'" + field + "' is longer than " + MAX_VALUE_CHARS
                    + " characters.");
        }
        if (value.indexOf('\0') >= 0) {
            throw ApiException.badRequest("invalid_" + field, "'" + field + "' contains a NUL character.");
        }
        if (field.equals(LIST_FIELD)) {
            List<String> list = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
            if (list.size() > 100) {
                throw ApiException.badRequest("invalid_keywords", "'keywords' has more than 100 entries.");
            }
            return list;
        }
        if (field.equals("digitalSourceType") && value.matches("[A-Za-z]+")) {
            return List.of(DIGITAL_SOURCE_TYPE_BASE + value); // the IPTC code alone, e.g. trainedAlgorithmicMedia
        }
        return List.of(value);
    }
}
