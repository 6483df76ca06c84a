package dev.exifq.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

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

    interface LocalCopy extends AutoCloseable {
        Path path();

        @Override
        void close() throws IOException;
    }
}
