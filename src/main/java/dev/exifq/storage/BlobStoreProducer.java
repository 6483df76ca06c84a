package dev.exifq.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks the blob store from configuration (each key can also be set as an environment variable, e.g.
 * {@code EXIFQ_STORAGE_TYPE=s3}, {@code EXIFQ_STORAGE_S3_BUCKET=...}):
 * <ul>
 *   <li>{@code exifq.storage.type}: {@code local} (default; files under {@code <exifq.data-dir>/blobs}) or {@code s3}</li>
 *   <li>{@code exifq.storage.s3.bucket}: required for s3</li>
 *   <li>{@code exifq.storage.s3.region}: default us-east-1</li>
 *   <li>{@code exifq.storage.s3.endpoint}: an S3-compatible server's URL; unset for AWS</li>
 *   <li>{@code exifq.storage.s3.path-style}: bucket in the path rather than the host name; default false</li>
 *   <li>{@code exifq.storage.s3.access-key} / {@code .secret-key}: both or neither; neither uses the AWS SDK's
 *       default credentials chain (environment, profile, web identity, instance or task role)</li>
 *   <li>{@code exifq.storage.s3.prefix}: put before every key, e.g. {@code exifq/prod}; default none</li>
 *   <li>{@code exifq.storage.s3.create-bucket}: create the bucket at startup if missing; default false</li>
 *   <li>{@code exifq.storage.scratch-dir}: where S3 blobs are downloaded for tools that need a file; default
 *       {@code <exifq.data-dir>/tmp}</li>
 * </ul>
 */
@ApplicationScoped
public class BlobStoreProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(Config config) throws IOException {
        return create(config);
    }

    void close(@Disposes BlobStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    static BlobStore create(Config config) throws IOException {
        Path dataDir = Path.of(string(config, "exifq.data-dir", "./data"));
        String type = string(config, "exifq.storage.type", "local").strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "local" -> new LocalDiskBlobStore(dataDir.resolve("blobs"));
            case "s3" -> S3BlobStore.connect(s3Settings(config, dataDir));
            default -> throw new IllegalArgumentException(
                    "exifq.storage.type must be 'local' or 's3', not '" + type + "'");
        };
    }

    static S3BlobStore.Settings s3Settings(Config config, Path dataDir) {
        String endpoint = string(config, "exifq.storage.s3.endpoint", null);
        return new S3BlobStore.Settings(
                string(config, "exifq.storage.s3.bucket", null),
                string(config, "exifq.storage.s3.region", "us-east-1"),
                endpoint == null ? null : URI.create(endpoint),
                config.getOptionalValue("exifq.storage.s3.path-style", Boolean.class).orElse(false),
                string(config, "exifq.storage.s3.access-key", null),
                string(config, "exifq.storage.s3.secret-key", null),
                string(config, "exifq.storage.s3.prefix", null),
                Path.of(string(config, "exifq.storage.scratch-dir", dataDir.resolve("tmp").toString())),
                config.getOptionalValue("exifq.storage.s3.create-bucket", Boolean.class).orElse(false));
    }

    /** The value, or the fallback when unset or blank (so {@code ${ENV_VAR:}} placeholders count as unset). */
    private static String string(Config config, String name, String fallback) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).orElse(fallback);
    }
}
