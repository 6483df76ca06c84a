package dev.exifq.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Blobs as files under one root folder; keys map to relative paths. */
public class LocalDiskBlobStore implements BlobStore {
    private final Path root;

    public LocalDiskBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root.toAbsolutePath().normalize());
    }

    Path pathOf(String key) {
        Path p = root.resolve(BlobKeys.check(key)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("Unsafe blob key");
        }
        return p;
    }

    @Override
    public void put(String key, Path source, String contentType) throws IOException {
        Path target = pathOf(key);
        if (!Files.isDirectory(target.getParent())) { // createDirectories throws and catches when it exists
            Files.createDirectories(target.getParent());
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileSystemException e) { // AtomicMoveNotSupportedException (other file system) among others
            Path tmp = Files.createTempFile(target.getParent(), ".put", ".tmp");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(source);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(pathOf(key));
    }

    @Override
    public LocalCopy localCopy(String key) throws IOException {
        Path p = pathOf(key);
        if (!Files.isRegularFile(p)) {
            throw new java.nio.file.NoSuchFileException(key);
        }
        return new LocalCopy() {
            @Override public Path path() { return p; }
            @Override public void close() {}
        };
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    /** Local files have no URL of their own: the API streams them. */
    @Override
    public URI presignedGet(String key, Duration ttl, String downloadFilename) {
        pathOf(key);
        return null;
    }
}
