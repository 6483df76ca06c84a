package dev.exifq.hashing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared reference corpus: images and the hashes Python imagehash 4.3.2 printed for them. */
final class Corpus {
    /** From the Maven basedir (the project root) the corpus lives at ../shared/corpus. */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("../shared/corpus").normalize();
    static final Path IMAGES = ROOT.resolve("images");
    static final Path HASHES_CSV = ROOT.resolve("reference/hashes.csv");

    record Row(String file, String sha256, int width, int height, String pilFormat, String dhash, String phash) {
        Path path() {
            return IMAGES.resolve(file);
        }
    }

    private Corpus() {
    }

    /** Rows of hashes.csv for which Pillow produced hashes. */
    static List<Row> hashedRows() throws IOException {
        List<String> lines = Files.readAllLines(HASHES_CSV, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals("file,sha256,width,height,pil_format,dhash,phash")) {
            throw new IllegalStateException("Unexpected header in " + HASHES_CSV);
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 7) {
                throw new IllegalStateException("Bad CSV line: " + line);
            }
            if (f[5].isEmpty()) {
                continue;
            }
            rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], f[6]));
        }
        return rows;
    }
}
