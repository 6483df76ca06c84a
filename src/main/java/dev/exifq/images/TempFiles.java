package dev.exifq.images;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch files under the data dir (same file system as the local blob store, so moves are cheap). */
@ApplicationScoped
public class TempFiles {
    private final Path dir;

    public TempFiles(@ConfigProperty(name = "exifq.data-dir", defaultValue = "./data") String dataDir) throws IOException {
        this.dir = Files.createDirectories(Path.of(dataDir).toAbsolutePath().normalize().resolve("tmp"));
    }

    public Path create(String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, ".part");
    }

    /** A folder of one run's own (for tools that write several files). */
    public Path createDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(dir, prefix);
    }
}
