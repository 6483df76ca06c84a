package dev.exifq.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Path;

@ApplicationScoped
public class BlobStoreProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(@ConfigProperty(name = "exifq.data-dir", defaultValue = "./data") String dataDir) throws IOException {
        return new LocalDiskBlobStore(Path.of(dataDir).resolve("blobs"));
    }
}
