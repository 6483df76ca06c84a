package dev.exifq.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads camera and lens names out of ExifTool metadata grouped as {@code exiftool -json -g -struct} prints it
 * ({@code {"EXIF": {"Make": ...}, "MakerNotes": {...}, "Composite": {...}}}). Also accepts the one-element array
 * ExifTool prints and ungrouped ({@code exiftool -json}) objects.
 */
final class ExifGear {

    /** Where a camera's make and model are most trustworthy, best first; then any other group. */
    private static final List<String> CAMERA_GROUPS = List.of("EXIF", "IFD0", "MakerNotes", "XMP", "QuickTime", "MIE",
            "SigmaRaw", "PanasonicRaw", "RAF", "Composite");
    private static final List<String> LENS_GROUPS = List.of("EXIF", "Composite", "MakerNotes", "XMP", "QuickTime");
    /** Lens tags, best first: what the camera wrote, ExifTool's identification, then descriptions and specs. */
    private static final List<String> LENS_TAGS = List.of("LensModel", "LensID", "Lens", "LensType", "LensSpec",
            "LensInfo");

    private static final Pattern JUNK = Pattern.compile(
            "(?i)^(n/?a|none|unknown|unknown \\(.*\\)|-+|0|\\(?unknown\\)?|.* lens \\(.*\\)|.*\\(0x[0-9a-f]+\\)|[\\d.\\s]+)$");
    private static final Pattern HAS_DIGIT = Pattern.compile("\\d");

    private ExifGear() {}

    record CameraNames(String make, String model, List<String> alternativeModels) {}

    static JsonNode root(JsonNode metadata) {
        if (metadata != null && metadata.isArray() && metadata.size() > 0) return metadata.get(0);
        return metadata;
    }

    /** Make and model as the image names them, from one group where possible; null without a model. */
    static CameraNames camera(JsonNode metadata) {
        JsonNode m = root(metadata);
        if (m == null || !m.isObject()) return null;
        String model = null;
        String make = null;
        List<JsonNode> groups = groups(m, CAMERA_GROUPS);
        for (JsonNode g : groups) {
            String mo = text(g.get("Model"));
            if (mo != null) {
                model = mo;
                make = text(g.get("Make"));
                break;
            }
        }
        if (make == null) make = first(groups, "Make");
        if (model == null) return null;
        List<String> alt = new ArrayList<>();
        for (String tag : List.of("UniqueCameraModel", "LocalizedCameraModel")) {
            String v = first(groups, tag);
            if (v != null && !v.equals(model)) alt.add(v);
        }
        return new CameraNames(make, model, alt);
    }

    /** Lens names and specs the metadata gives, best first, without ExifTool's placeholders ("n/a", "Unknown ( )"). */
    static List<String> lensStrings(JsonNode metadata) {
        JsonNode m = root(metadata);
        Set<String> out = new LinkedHashSet<>();
        if (m == null || !m.isObject()) return List.of();
        List<JsonNode> groups = groups(m, LENS_GROUPS);
        for (String tag : LENS_TAGS) {
            for (JsonNode g : groups) {
                String v = text(g.get(tag));
                if (v == null || isJunk(v)) continue;
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    /** The maker the metadata names for the lens (EXIF LensMake), or null. */
    static String lensMake(JsonNode metadata) {
        JsonNode m = root(metadata);
        if (m == null || !m.isObject()) return null;
        return first(groups(m, LENS_GROUPS), "LensMake");
    }

    /** ExifTool's "Unknown 18-55mm" means: lens not identified, this focal range. */
    static String stripUnknown(String s) {
        if (s.regionMatches(true, 0, "Unknown ", 0, 8)) return s.substring(8).trim();
        return s;
    }

    static boolean isJunk(String v) {
        String s = v.trim();
        if (JUNK.matcher(s).matches()) return true;
        // Nikon's LensType flags ("G", "G VR", "D") and similar codes are not names
        return s.length() <= 4 && !HAS_DIGIT.matcher(s).find();
    }

    private static String first(List<JsonNode> groups, String tag) {
        for (JsonNode g : groups) {
            String v = text(g.get(tag));
            if (v != null) return v;
        }
        return null;
    }

    /** The preferred groups in order, then every other group, then the object itself (ungrouped metadata). */
    private static List<JsonNode> groups(JsonNode m, List<String> preferred) {
        List<JsonNode> out = new ArrayList<>(m.size() + 1);
        for (String g : preferred) {
            JsonNode n = m.get(g);
            if (n != null && n.isObject()) out.add(n);
        }
        Iterator<Map.Entry<String, JsonNode>> it = m.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject() && !preferred.contains(e.getKey())) out.add(e.getValue());
        }
        out.add(m);
        return out;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) return null;
        String s = Text.clean(n.asText());
        if (s == null) return null;
        return s.toLowerCase(Locale.ROOT).equals("null") ? null : s;
    }
}
