package dev.exifq.images;

/** What extraction found in a file's bytes; the same for identical bytes, so it is cached by checksum. */
public record Extraction(String contentType, Integer width, Integer height, String metadata,
                         String dhash, String phash, String hashSource, String hashError, boolean cached) {

    Extraction asCached() {
        return new Extraction(contentType, width, height, metadata, dhash, phash, hashSource, hashError, true);
    }
}
