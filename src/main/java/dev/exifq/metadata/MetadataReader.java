package dev.exifq.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a file's metadata through an {@link ExifToolPool}: {@code exiftool -json -g -struct <file>}, exactly the
 * command of the reference outputs, so {@link ExtractedMetadata#metadataJson()} is byte-for-byte exiftool's text.
 *
 * <p>Width and height describe the image a user sees, before EXIF orientation is applied (stored pixel
 * dimensions, like Pillow's {@code Image.size}):
 * <ul>
 *   <li>raw formats ({@link #RAW_FILE_TYPES}): EXIF:DefaultCropSize (DNG), else SigmaRaw:ImageWidth/ImageHeight
 *       (X3F), else Composite:ImageSize (exiftool's own choice per raw format), else EXIF:ExifImageWidth/Height,
 *       else File:ImageWidth/ImageHeight. File:ImageWidth is last because for RAF, RW2 and X3F it is the size
 *       of the embedded JPEG preview, not of the raw image;</li>
 *   <li>everything else: File:ImageWidth/ImageHeight, else Composite:ImageSize, else EXIF:ExifImageWidth/Height,
 *       else the largest width x height found in any group (QuickTime:ImageSpatialExtent / MetaImageSize for
 *       HEIC, MIE:ImageSize, ...), thumbnails and previews excluded.</li>
 * </ul>
 */
public final class MetadataReader {

    /** Keys of exiftool's object that describe the server, not the image: never returned in metadataJson. */
    public static final Set<String> DROPPED_KEYS = Set.of("SourceFile", "ExifTool", "File");

    /** exiftool File:FileType values of camera raw formats (width/height rules differ, see class comment). */
    public static final Set<String> RAW_FILE_TYPES = Set.of(
            "3FR", "ARI", "ARQ", "ARW", "CR2", "CR3", "CRM", "CRW", "DCR", "DNG", "EIP", "ERF", "FFF", "GPR",
            "IIQ", "K25", "KDC", "MEF", "MOS", "MRW", "NEF", "NRW", "ORF", "ORI", "PEF", "RAF", "RAW", "RW2",
            "RWL", "SR2", "SRF", "SRW", "X3F");

    /** Embedded images tried by {@link #extractPreview}, in order of preference at equal size. */
    static final List<String> PREVIEW_TAGS = List.of("JpgFromRaw", "PreviewImage", "ThumbnailImage");

    private static final long MAX_METADATA_BYTES = 64L * 1024 * 1024;
    private static final long MAX_PREVIEW_BYTES = 256L * 1024 * 1024;
    /**
     * No JPEG a decoder accepts is shorter: start and end markers, one quantisation table, a frame and a scan
     * header and a byte of data take 97 bytes (libjpeg-turbo supplies missing Huffman tables, nothing else). Raw
     * files stripped for test suites carry 20-odd-byte placeholders; fetching one costs ExifTool a full parse.
     */
    static final long MIN_JPEG_BYTES = 97;
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*[x ]\\s*(\\d+(?:\\.\\d+)?)\\s*");
    private static final Pattern BINARY_PLACEHOLDER = Pattern.compile("\\(Binary data (\\d+) bytes.*");
    private static final Pattern SIZE_KEY = Pattern.compile(".*(ImageSize|ImageSpatialExtent)");

    private final ExifToolPool pool;
    private final ObjectMapper mapper = new ObjectMapper(ExifToolJson.FACTORY);

    public MetadataReader(ExifToolPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * Runs {@code -json -g -struct} on the file. exiftool's verdict on the file (unknown type, format error, empty)
     * is returned in {@link ExtractedMetadata#error()}, not thrown.
     *
     * @throws IllegalArgumentException if the path is not an existing regular file (exiftool would scan a
     *                                  directory)
     * @throws ExifToolException        if the pool could not run the task (timeout, process died, busy)
     */
    public ExtractedMetadata read(Path file) {
        Path abs = regularFile(file);
        ExifToolResult result = pool.execute(ExifToolTask.builder()
                .option("-charset", "filename=utf8")
                .option("-json").option("-g").option("-struct")
                .maxOutputBytes(MAX_METADATA_BYTES)
                .file(abs)
                .build());
        String text = result.stdoutText();
        ExifToolJson.SplitObject split;
        JsonNode tree;
        try {
            split = ExifToolJson.splitSingle(text);
            tree = split == null ? null : mapper.readTree(text).get(0);
        } catch (IOException e) {
            throw new ExifToolException("cannot parse exiftool -json output for " + abs.getFileName() + ": "
                    + e.getMessage(), result.stderr(), e);
        }
        if (split == null || tree == null || !tree.isObject()) {
            String err = stderrError(result.stderr(), abs);
            return new ExtractedMetadata("{}", null, null, null, null,
                    err != null ? err : "exiftool printed no metadata", List.of(), Map.of());
        }

        JsonNode exiftool = tree.path("ExifTool");
        JsonNode fileGroup = tree.path("File");
        String fileType = text(fileGroup.get("FileType"));
        String error = text(exiftool.get("Error"));
        if (error == null && result.status() != 0) {
            error = stderrError(result.stderr(), abs);
        }
        int[] size = dimensions(tree, fileType);
        return new ExtractedMetadata(split.without(DROPPED_KEYS), fileType, text(fileGroup.get("MIMEType")),
                size == null ? null : size[0], size == null ? null : size[1], error, warnings(exiftool.get("Warning")),
                previewSizes(tree));
    }

    /** Sizes of the embedded images named in {@code -g} output; null if a tag is in two groups (see the record). */
    private static Map<String, Long> previewSizes(JsonNode tree) {
        Map<String, Long> sizes = new HashMap<>();
        for (JsonNode group : tree) {
            if (!group.isObject()) {
                continue;
            }
            for (String tag : PREVIEW_TAGS) {
                Long size = binarySize(group.get(tag));
                if (size != null && sizes.put(tag, size) != null) {
                    return null;
                }
            }
        }
        return sizes;
    }

    private static Long binarySize(JsonNode value) {
        String v = text(value);
        Matcher m = v == null ? null : BINARY_PLACEHOLDER.matcher(v);
        return m != null && m.matches() ? Long.parseLong(m.group(1)) : null;
    }

    /**
     * The largest embedded JPEG (JpgFromRaw, PreviewImage or ThumbnailImage; at equal size in that order), for
     * hashing formats Java cannot decode (raw). Null if the file carries no embedded JPEG (HEIC files carry HEVC
     * thumbnails, not JPEG). Two tasks: one to learn the sizes, one {@code -b -TAG} to fetch the bytes.
     */
    public byte[] extractPreview(Path file) {
        return extractPreview(file, null);
    }

    /**
     * As {@link #extractPreview(Path)}, with the sizes {@link #read} already found ({@link
     * ExtractedMetadata#previewSizes()}): then one task, the {@code -b} fetch, instead of two. Null sizes: asked.
     */
    public byte[] extractPreview(Path file, Map<String, Long> knownSizes) {
        Path abs = regularFile(file);
        Map<String, Long> sizes = knownSizes != null ? knownSizes : probePreviewSizes(abs);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < PREVIEW_TAGS.size(); i++) {
            Long size = sizes.get(PREVIEW_TAGS.get(i));
            if (size != null) {
                candidates.add(new Candidate(PREVIEW_TAGS.get(i), size, i));
            }
        }
        candidates.sort(Comparator.comparingLong(Candidate::size).reversed().thenComparingInt(Candidate::order));
        for (Candidate c : candidates) {
            if (c.size() > MAX_PREVIEW_BYTES || c.size() < MIN_JPEG_BYTES) {
                continue;
            }
            byte[] bytes = pool.execute(ExifToolTask.builder()
                    .option("-charset", "filename=utf8")
                    .option("-b").option("-" + c.tag())
                    .maxOutputBytes(MAX_PREVIEW_BYTES)
                    .file(abs)
                    .build()).stdout();
            if (bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8
                    && (bytes[2] & 0xff) == 0xff) {
                return bytes;
            }
        }
        return null;
    }

    private record Candidate(String tag, long size, int order) {
    }

    private Map<String, Long> probePreviewSizes(Path abs) {
        ExifToolTask.Builder probe = ExifToolTask.builder().option("-charset", "filename=utf8").option("-json");
        PREVIEW_TAGS.forEach(tag -> probe.option("-" + tag));
        ExifToolResult probed = pool.execute(probe.file(abs).build());
        Map<String, Long> sizes = new HashMap<>();
        try {
            JsonNode obj = mapper.readTree(probed.stdoutText().isBlank() ? "[]" : probed.stdoutText()).path(0);
            for (String tag : PREVIEW_TAGS) {
                Long size = binarySize(obj.get(tag));
                if (size != null) {
                    sizes.put(tag, size);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new ExifToolException("cannot parse exiftool output for " + abs.getFileName(), probed.stderr(), e);
        }
        return sizes;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Path regularFile(Path file) {
        Objects.requireNonNull(file, "file");
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new IllegalArgumentException("not a regular file: " + abs);
        }
        return abs;
    }

    /** width, height of the image a user sees (see class comment), or null. */
    static int[] dimensions(JsonNode obj, String fileType) {
        if (fileType != null && RAW_FILE_TYPES.contains(fileType)) {
            return firstOf(
                    size(obj.path("EXIF").get("DefaultCropSize")),
                    pair(obj.path("SigmaRaw"), "ImageWidth", "ImageHeight"),
                    size(obj.path("Composite").get("ImageSize")),
                    pair(obj.path("EXIF"), "ExifImageWidth", "ExifImageHeight"),
                    pair(obj.path("File"), "ImageWidth", "ImageHeight"));
        }
        int[] found = firstOf(
                pair(obj.path("File"), "ImageWidth", "ImageHeight"),
                size(obj.path("Composite").get("ImageSize")),
                pair(obj.path("EXIF"), "ExifImageWidth", "ExifImageHeight"));
        return found != null ? found : largestAnywhere(obj);
    }

    private static int[] largestAnywhere(JsonNode obj) {
        int[] best = null;
        for (var groups = obj.fields(); groups.hasNext(); ) {
            var group = groups.next();
            if (DROPPED_KEYS.contains(group.getKey()) && !group.getKey().equals("File")) {
                continue;
            }
            JsonNode g = group.getValue();
            if (!g.isObject()) {
                continue;
            }
            List<int[]> candidates = new ArrayList<>();
            candidates.add(pair(g, "ImageWidth", "ImageHeight"));
            for (var tags = g.fields(); tags.hasNext(); ) {
                var tag = tags.next();
                String name = tag.getKey();
                if (SIZE_KEY.matcher(name).matches() && !name.contains("Thumbnail") && !name.contains("Preview")) {
                    candidates.add(size(tag.getValue()));
                }
            }
            for (int[] c : candidates) {
                if (c != null && (best == null || (long) c[0] * c[1] > (long) best[0] * best[1])) {
                    best = c;
                }
            }
        }
        return best;
    }

    private static int[] firstOf(int[]... candidates) {
        for (int[] c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static int[] pair(JsonNode group, String widthKey, String heightKey) {
        Integer w = positive(group.get(widthKey));
        Integer h = positive(group.get(heightKey));
        return w != null && h != null ? new int[] {w, h} : null;
    }

    /** "3456x2304" (Composite:ImageSize) or "3456 2304" (DefaultCropSize). */
    private static int[] size(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        Matcher m = SIZE.matcher(node.asText());
        if (!m.matches()) {
            return null;
        }
        Integer w = positive(m.group(1));
        Integer h = positive(m.group(2));
        return w != null && h != null ? new int[] {w, h} : null;
    }

    private static Integer positive(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return positive(node.asText());
        }
        return node.isTextual() ? positive(node.asText().strip()) : null;
    }

    private static Integer positive(String s) {
        try {
            double d = Double.parseDouble(s);
            long v = Math.round(d);
            return d > 0 && v > 0 && v <= Integer.MAX_VALUE ? (int) v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static List<String> warnings(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> {
                String t = text(n);
                if (t != null) {
                    out.add(t);
                }
            });
        } else if (text(node) != null) {
            out.add(text(node));
        }
        return out;
    }

    /** The first "Error: ..." line of stderr, without the file's path (server paths never leave this class). */
    static String stderrError(String stderr, Path file) {
        if (stderr == null) {
            return null;
        }
        for (String line : stderr.split("\n")) {
            String l = line.strip();
            if (l.startsWith("Error:")) {
                String msg = l.substring("Error:".length()).strip();
                String path = file.toString();
                msg = msg.replace(" - " + path, "").replace(path, String.valueOf(file.getFileName()));
                return msg;
            }
        }
        return null;
    }
}
