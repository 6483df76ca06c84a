package dev.exifq.billing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * accounts owns who the user is; billing owns what they may do and have used, and may use accounts, never
 * the reverse. Checked on the sources, so a new import in either direction fails here.
 */
class PackageDirectionTest {
    @Test
    void accountsNeverImportsBillingOrFeedback() throws IOException {
        Path accounts = Path.of("src/main/java/dev/exifq/accounts");
        assertTrue(Files.isDirectory(accounts), "run from the project root");
        try (Stream<Path> files = Files.walk(accounts)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    String src = Files.readString(f);
                    return src.contains("dev.exifq.billing") || src.contains("dev.exifq.feedback");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).toList();
            assertEquals(List.of(), offenders);
        }
    }
}
