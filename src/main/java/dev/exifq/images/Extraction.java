package dev.exifq.images;

import dev.exifq.hashing.OrientedHashes;

/**
 * What extraction found in a file's bytes; the same for identical bytes, so it is cached by checksum, unless
 * {@code cacheable} is false: hashing gave up at its deadline, which depends on the server's load, not the bytes.
 * {@code oriented} is null exactly when the hashes are.
 */
public record Extraction(String contentType, Integer width, Integer height, String metadata,
                         String dhash, String phash, OrientedHashes oriented, String hashSource, String hashError,
                         boolean cached, boolean cacheable) {

    Extraction asCached() {
        return new Extraction(contentType, width, height, metadata, dhash, phash, oriented, hashSource, hashError,
                true, true);
    }
}
