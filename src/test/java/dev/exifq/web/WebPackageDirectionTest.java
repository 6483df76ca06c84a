package dev.exifq.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pages use every other package; none uses the pages. Checked on the sources. */
class WebPackageDirectionTest {
    @Test
    void nothingOutsideWebImportsIt() throws IOException {
        Path main = Path.of("src/main/java/dev/exifq");
        assertTrue(Files.isDirectory(main.resolve("web")), "run from the project root");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(main.resolve("web")))
                    .filter(f -> read(f).contains("dev.exifq.web")).map(Path::toString).toList();
            assertEquals(List.of(), offenders);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
