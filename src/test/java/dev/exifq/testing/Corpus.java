package dev.exifq.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The shared corpus (../shared/corpus) and its reference outputs, read-only. */
public final class Corpus {
    public static final Path ROOT = Path.of(System.getProperty("exifq.corpus", "../shared/corpus")).toAbsolutePath().normalize();
    public static final Path IMAGES = ROOT.resolve("images");
    /** Parses numbers exactly as written, so 14.0 and 14 or 0.10 and 0.1 are told apart. */
    public static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static Map<String, HashRow> hashRows;

    private Corpus() {}

    public record HashRow(String file, String sha256, Integer width, Integer height, String pilFormat, String dhash, String phash) {}

    public static List<Path> images() {
        try (Stream<Path> s = Files.list(IMAGES)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path image(String name) {
        return IMAGES.resolve(name);
    }

    /** What the service must return as `metadata`: the reference without SourceFile, ExifTool and File. */
    /**
     * A copy of a corpus image with random bytes appended (readers ignore them): bytes no other test uploads, so
     * the extraction cache entry and the checksum are this copy's own.
     */
    public static Path uniqueCopy(String name) throws java.io.IOException {
        Path file = java.nio.file.Files.createTempFile("unique", "-" + name);
        java.nio.file.Files.write(file, java.nio.file.Files.readAllBytes(image(name)));
        java.nio.file.Files.writeString(file, java.util.UUID.randomUUID().toString(), java.nio.file.StandardOpenOption.APPEND);
        return file;
    }

    public static ObjectNode expectedMetadata(String name) {
        try {
            JsonNode ref = EXACT.readTree(ROOT.resolve("reference/exiftool/" + name + ".json").toFile());
            ObjectNode obj = (ObjectNode) ref.get(0);
            obj.remove(List.of("SourceFile", "ExifTool", "File"));
            return obj;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode referenceFileGroup(String name) {
        try {
            return EXACT.readTree(ROOT.resolve("reference/exiftool/" + name + ".json").toFile()).get(0).get("File");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized HashRow hashes(String name) {
        if (hashRows == null) {
            Map<String, HashRow> rows = new LinkedHashMap<>();
            try {
                List<String> lines = Files.readAllLines(ROOT.resolve("reference/hashes.csv"));
                for (String line : lines.subList(1, lines.size())) {
                    String[] c = line.split(",", -1);
                    rows.put(c[0], new HashRow(c[0], c[1], intOrNull(c[2]), intOrNull(c[3]), c[4],
                            c[5].isEmpty() ? null : c[5], c[6].isEmpty() ? null : c[6]));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            hashRows = rows;
        }
        return hashRows.get(name);
    }

    /** A row of heic-hashes.csv: pillow-heif's decode (libheif 1.19.7) of a HEIC/HEIF, then imagehash 4.3.2. */
    public record HeicRow(String file, String sha256, int width, int height, String dhash, String phash) {}

    /** Every row of heic-hashes.csv (5: the decodable HEIC/HEIF files of the corpus). */
    public static List<HeicRow> heicHashes() {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve("reference/heic-hashes.csv"));
            if (!lines.get(0).equals("file,sha256,width,height,decoder,dhash,phash")) {
                throw new IllegalStateException("Unexpected header in heic-hashes.csv: " + lines.get(0));
            }
            List<HeicRow> rows = new java.util.ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1); // the decoder column holds a comma: "(heif-dec, 8-bit RGB)"
                rows.add(new HeicRow(c[0], c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), c[c.length - 2],
                        c[c.length - 1]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Integer intOrNull(String s) {
        return s.isEmpty() ? null : Integer.valueOf(s);
    }
}
