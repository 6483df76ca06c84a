package dev.exifq.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared fixtures: the real catalogue (loaded once per JVM) and the corpus reference metadata. */
final class TestCatalog {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CORPUS = Path.of("../shared/corpus/reference/exiftool");
    private static Catalog catalog;

    private TestCatalog() {}

    static synchronized Catalog catalog() {
        if (catalog == null) catalog = Catalog.loadDefault();
        return catalog;
    }

    static CatalogService service() {
        return new CatalogService(catalog());
    }

    record CorpusImage(String file, JsonNode metadata) {}

    /** Every reference JSON, as the service receives it: SourceFile, File and ExifTool groups removed. */
    static List<CorpusImage> corpus() {
        List<CorpusImage> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode arr = JSON.readTree(p.toFile());
                ObjectNode o = (ObjectNode) arr.get(0).deepCopy();
                o.remove(List.of("SourceFile", "File", "ExifTool"));
                out.add(new CorpusImage(p.getFileName().toString().replaceFirst("\\.json$", ""), o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Metadata in ExifTool's grouped shape from "Group:Tag", value pairs. */
    static JsonNode metadata(String... groupTagValue) {
        ObjectNode root = JSON.createObjectNode();
        for (int i = 0; i < groupTagValue.length; i += 2) {
            String[] gt = groupTagValue[i].split(":", 2);
            ObjectNode g = root.has(gt[0]) ? (ObjectNode) root.get(gt[0]) : root.putObject(gt[0]);
            g.put(gt[1], groupTagValue[i + 1]);
        }
        return root;
    }
}
