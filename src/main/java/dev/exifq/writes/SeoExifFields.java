package dev.exifq.writes;

import dev.exifq.metadata.EditSpec;
import dev.exifq.platform.ApiException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of {@code POST /api/images/seo-exif}, all required, and the tags each is written to (README,
 * "Writing metadata", has this table); written like edit-exif's through {@link EditExifFields}.
 */
final class SeoExifFields {
    static final Map<String, List<String>> MAPPING = mapping();

    private SeoExifFields() {}

    private static Map<String, List<String>> mapping() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("name", List.of("XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist"));
        m.put("title", List.of("XMP-dc:Title", "IPTC:ObjectName"));
        m.put("description", List.of("XMP-dc:Description", "IPTC:Caption-Abstract", "IFD0:ImageDescription"));
        m.put("destination", List.of("XMP-iptcCore:Location", "IPTC:Sub-location"));
        m.put("city", List.of("XMP-photoshop:City", "IPTC:City"));
        m.put("keywords", List.of("XMP-dc:Subject", "IPTC:Keywords"));
        // IPTC:Category is three characters at most: the XMP tag alone keeps the whole value.
        m.put("category", List.of("XMP-photoshop:Category"));
        m.put("url", List.of("XMP-iptcCore:CreatorWorkURL", "XMP-xmpRights:WebStatement"));
        return Collections.unmodifiableMap(m);
    }

    /** The tags to write; 400 {@code missing_<field>} for the first required field that is absent or blank. */
    static List<EditSpec.TagValue> tags(Map<String, String> fields) {
        for (String field : MAPPING.keySet()) {
            String v = fields.get(field);
            if (v == null || v.isBlank()) {
                throw ApiException.badRequest("missing_" + field, "'" + field + "' is required.");
            }
        }
        return EditExifFields.tags(MAPPING, fields);
    }

    /**
     * The download's file name from {@code webFileName}: no folders, no control characters, and the extension
     * of the processed file's type whatever the client gave; null (the upload's name) when none is left.
     */
    static String webFileName(String requested, String contentType, String uploadName) {
        if (requested == null) {
            return null;
        }
        String n = requested.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        n = n.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        int dot = n.lastIndexOf('.');
        String stem = (dot >= 0 ? n.substring(0, dot) : n).replaceAll("^[.\\s]+", "").strip();
        if (stem.isEmpty()) {
            return null;
        }
        if (stem.length() > 200) {
            stem = stem.substring(0, 200);
        }
        String ext = extension(contentType, uploadName);
        return ext.isEmpty() ? stem : stem + "." + ext;
    }

    private static String extension(String contentType, String uploadName) {
        String sub = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT).replaceFirst(";.*", "").strip();
        switch (sub) {
            case "image/jpeg": return "jpg";
            case "image/tiff": return "tif";
            case "image/svg+xml": return "svg";
            default:
        }
        if (sub.startsWith("image/") && sub.substring(6).matches("[a-z0-9]{2,5}")) {
            return sub.substring(6);
        }
        int dot = uploadName == null ? -1 : uploadName.lastIndexOf('.');
        String ext = dot < 0 ? "" : uploadName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        return ext.matches("[a-z0-9]{1,5}") ? ext : "";
    }
}
