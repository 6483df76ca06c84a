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
    /** The package itself, not a sibling whose name starts the same (dev.exifq.webhooks). */
    private static final java.util.regex.Pattern WEB = java.util.regex.Pattern.compile("dev\\.exifq\\.web(?![\\w])");

    @Test
    void nothingOutsideWebImportsIt() throws IOException {
        Path main = Path.of("src/main/java/dev/exifq");
        assertTrue(Files.isDirectory(main.resolve("web")), "run from the project root");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(main.resolve("web")))
                    .filter(f -> WEB.matcher(read(f)).find()).map(Path::toString).toList();
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
