package dev.exifq.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Where original and processed files live: local disk by default, S3 in production. */
public interface BlobStore {

    /** Stores the file under the key, taking it over (the source may be moved away). */
    void put(String key, Path source, String contentType) throws IOException;

    InputStream open(String key) throws IOException;

    /**
     * A local file with the blob's bytes, for tools that need a path (ExifTool). Close it when done:
     * stores that had to download it delete the copy then.
     */
    LocalCopy localCopy(String key) throws IOException;

    void delete(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /**
     * A URL anyone holding it can GET the blob from, without credentials, until {@code ttl} has passed; the
     * response asks browsers to save it as {@code downloadFilename} (when not null). Stores that can't hand out
     * such URLs (local disk) return null, and the API streams the blob itself. The key's existence is not
     * checked: a URL for a missing key answers 404.
     */
    URI presignedGet(String key, Duration ttl, String downloadFilename) throws IOException;

    interface LocalCopy extends AutoCloseable {
        Path path();

        @Override
        void close() throws IOException;
    }
}
