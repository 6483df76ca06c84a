package dev.exifq.images;

import dev.exifq.hashing.HashingProducer;
import dev.exifq.hashing.ImageHasher;
import dev.exifq.hashing.ImageHashes;
import dev.exifq.hashing.ImageTooLargeException;
import dev.exifq.hashing.UndecodableImageException;
import dev.exifq.metadata.ExifToolConfig;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.metadata.ExifToolTimeoutException;
import dev.exifq.metadata.ExtractedMetadata;
import dev.exifq.metadata.MetadataReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;

/** Everything that follows from a file's bytes: ExifTool metadata, type, size and perceptual hashes. */
@ApplicationScoped
public class Extractor {
    private static final int EXTRACTOR_REVISION = 1;

    private final MetadataReader reader;
    private final ImageHasher hasher;
    private final ExifToolPool pool;
    private final ExifToolConfig config;
    private volatile String version;

    public Extractor(MetadataReader reader, ImageHasher hasher, ExifToolPool pool, ExifToolConfig config) {
        this.reader = reader;
        this.hasher = hasher;
        this.pool = pool;
        this.config = config;
    }

    /** Identifies what produced an extraction; a cached result is reused only under the same version. */
    public String version() {
        if (version == null) {
            version = "exiftool " + pool.version() + " " + config.mode() + "; extract " + EXTRACTOR_REVISION
                    + "; hashes " + HashingProducer.HASHING_REVISION;
        }
        return version;
    }

    public Extraction extract(Path file) throws ProcessingFailure {
        ExtractedMetadata meta;
        try {
            meta = reader.read(file);
        } catch (ExifToolTimeoutException e) {
            throw ProcessingFailure.permanent("metadata_timeout",
                    "Reading the metadata took too long; the file was given up on.");
        }
        if (!ImageTypes.isImage(meta)) {
            throw ProcessingFailure.permanent("not_an_image", ImageTypes.whyNotImage(meta));
        }
        String dhash = null;
        String phash = null;
        String source = null;
        String hashError = null;
        try {
            ImageHashes h = hasher.hash(file);
            dhash = h.dhash();
            phash = h.phash();
            source = "image";
        } catch (ImageTooLargeException e) {
            hashError = e.getMessage();
        } catch (UndecodableImageException e) {
            hashError = "The image could not be decoded for hashing: " + e.getMessage();
            byte[] preview = reader.extractPreview(file);
            if (preview != null) {
                try {
                    ImageHashes h = hasher.hash(new ByteArrayInputStream(preview));
                    dhash = h.dhash();
                    phash = h.phash();
                    source = "preview";
                    hashError = null;
                } catch (UndecodableImageException | ImageTooLargeException previewFailed) {
                    hashError += "; its embedded preview could not be decoded either";
                }
            } else {
                hashError += "; it has no embedded JPEG preview";
            }
        }
        return new Extraction(meta.mimeType(), meta.width(), meta.height(), meta.metadataJson(),
                dhash, phash, source, hashError, false);
    }
}
