package dev.exifq.metadata;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tag names the API lets clients write: a strict spelling ({@code Name}, {@code Group:Name} or
 * {@code Group.Name}, groups from a fixed list), a tag ExifTool lists as writable ({@code -listw}, read once),
 * and none of the tags that act on the file system or on whole metadata blocks rather than on one value.
 * Everything else is refused before anything reaches ExifTool.
 */
public final class WritableTags {
    private static final Pattern NAME = Pattern.compile("(?:([A-Za-z][A-Za-z0-9-]{0,39})[:.])?([A-Za-z][A-Za-z0-9-]{0,79})");

    /** Metadata groups a client may name (case-insensitive); file-system and pseudo groups are not among them. */
    private static final Map<String, String> GROUPS = canonical(Set.of(
            "EXIF", "IFD0", "ExifIFD", "GPS", "InteropIFD", "IPTC", "XMP", "XMP-dc", "XMP-xmp", "XMP-xmpRights",
            "XMP-photoshop", "XMP-iptcCore", "XMP-iptcExt", "XMP-plus", "XMP-exif", "XMP-exifEX", "XMP-tiff",
            "XMP-aux", "XMP-lr", "XMP-xmpMM", "XMP-getty", "XMP-mwg-rs", "XMP-mwg-kw", "Photoshop", "PNG"));

    /**
     * Writable in ExifTool's sense but not a metadata value: file-system pseudo-tags (rename, move, link,
     * dates, permissions), geotagging from server files, and tags that replace or insert whole blocks or
     * embedded images. Compared case-insensitively; prefixes end in '*'.
     */
    private static final Set<String> DENIED = Set.of(
            "filename", "directory", "filepath", "symlink", "hardlink", "testname", "filemodifydate",
            "fileaccessdate", "filecreatedate", "fileinodechangedate", "filepermissions", "fileuserid",
            "filegroupid", "fileattributes", "zoneidentifier", "geotag", "geosync", "geotime", "forcewrite",
            "exif", "xmp", "iptc", "photoshop", "makernotes", "canonvrd", "canondr4", "adobe", "cia", "xml",
            "previewimage", "thumbnailimage", "jpgfromraw", "otherimage", "iccprofile", "embeddedimage",
            "xmp-dc", "all");
    private static final String[] DENIED_PREFIXES = {"mditem", "xattr", "file"};
    /** Real metadata tags that begin like file-system ones. */
    private static final Set<String> FILE_PREFIX_ALLOWED = Set.of("filesource", "fileversion", "fileformat");

    private final ExifToolPool pool;
    private final Lazy<Map<String, String>> writable = new Lazy<>(this::load);

    public WritableTags(ExifToolPool pool) {
        this.pool = pool;
    }

    /**
     * Checks a client's tag name and returns it as ExifTool expects it ({@code Group:Name}, ExifTool's own
     * spelling of the name).
     *
     * @param field the API field, named in the exception
     */
    public String check(String field, String name) throws MetadataWriteException {
        Matcher m = name == null ? null : NAME.matcher(name);
        if (m == null || !m.matches()) {
            throw invalid(field, "'" + printable(name) + "' is not a tag name (Name, Group:Name or Group.Name; "
                    + "letters, digits and '-').");
        }
        String group = null;
        if (m.group(1) != null) {
            group = GROUPS.get(m.group(1).toLowerCase(Locale.ROOT));
            if (group == null) {
                throw invalid(field, "'" + m.group(1) + "' is not a group tags can be written to here.");
            }
        }
        String lower = m.group(2).toLowerCase(Locale.ROOT);
        if (denied(lower)) {
            throw invalid(field, "'" + m.group(2) + "' cannot be written through this API.");
        }
        String tag = writable.get().get(lower);
        if (tag == null) {
            throw invalid(field, "'" + m.group(2) + "' is not a tag ExifTool can write.");
        }
        return group == null ? tag : group + ":" + tag;
    }

    /** The tag part of a checked name. */
    public static String tagName(String checked) {
        int colon = checked.indexOf(':');
        return colon < 0 ? checked : checked.substring(colon + 1);
    }

    /** The group part of a checked name, or null. */
    public static String group(String checked) {
        int colon = checked.indexOf(':');
        return colon < 0 ? null : checked.substring(0, colon);
    }

    private static boolean denied(String lower) {
        if (DENIED.contains(lower)) {
            return true;
        }
        for (String prefix : DENIED_PREFIXES) {
            if (lower.startsWith(prefix) && !FILE_PREFIX_ALLOWED.contains(lower)) {
                return true;
            }
        }
        return false;
    }

    /** {@code exiftool -listw}: a heading line, then the names separated by blanks. */
    private Map<String, String> load() {
        ExifToolResult r = pool.execute(ExifToolTask.builder().option("-listw").build());
        String out = new String(r.stdout(), StandardCharsets.UTF_8);
        int start = out.indexOf(':');
        Map<String, String> names = new HashMap<>();
        for (String name : out.substring(start + 1).trim().split("\\s+")) {
            if (!name.isEmpty()) {
                names.put(name.toLowerCase(Locale.ROOT), name);
            }
        }
        if (names.size() < 1000) {
            throw new IllegalStateException("exiftool -listw listed only " + names.size() + " writable tags");
        }
        return Map.copyOf(names);
    }

    private static MetadataWriteException invalid(String field, String message) {
        return new MetadataWriteException(MetadataWriteException.INVALID_FIELD, field,
                (field == null ? "" : "'" + field + "': ") + message);
    }

    private static String printable(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        return b.toString();
    }

    private static Map<String, String> canonical(Set<String> names) {
        Map<String, String> m = new HashMap<>();
        names.forEach(n -> m.put(n.toLowerCase(Locale.ROOT), n));
        return Map.copyOf(m);
    }
}
