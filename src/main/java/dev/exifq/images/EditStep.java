package dev.exifq.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.metadata.EditSpec;
import dev.exifq.metadata.MetadataWriteException;
import dev.exifq.metadata.MetadataWriter;
import dev.exifq.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The optional edit of a run: an image submitted with an {@link EditSpec} is written by ExifTool into a
 * scratch folder of its own before extraction, and the processed file is what the run checksums, extracts
 * and stores (under {@code processed/<id>}); the original stays as it was uploaded.
 */
@ApplicationScoped
public class EditStep {
    private final MetadataWriter writer;
    private final BlobStore blobs;
    private final TempFiles tempFiles;
    private final ObjectMapper json;

    public EditStep(MetadataWriter writer, BlobStore blobs, TempFiles tempFiles, ObjectMapper json) {
        this.writer = writer;
        this.blobs = blobs;
        this.tempFiles = tempFiles;
        this.json = json;
    }

    /** A written file in its scratch folder; closing deletes the folder. */
    public record Edited(EditSpec spec, Path file, Path scratch) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    public String toJson(EditSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null for an image without an edit. */
    Edited apply(Image image, Path original) throws ProcessingFailure, IOException {
        if (image.edit == null) {
            return null;
        }
        EditSpec spec = json.readValue(image.edit, EditSpec.class);
        Path scratch = tempFiles.createDirectory("write");
        Edited edited = new Edited(spec, scratch.resolve("processed"), scratch);
        try {
            writer.write(original, edited.file(), scratch, spec);
            return edited;
        } catch (MetadataWriteException e) {
            edited.close();
            throw ProcessingFailure.permanent(e.code(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            edited.close();
            throw e;
        }
    }

    /** Stores the processed file; its key is made from the image id only. */
    ProcessedFile store(Image image, Edited edited, Checksums.Digest digest, String contentType, String filename)
            throws IOException {
        String key = "processed/" + image.id;
        blobs.put(key, edited.file(), contentType);
        return new ProcessedFile(key, filename, edited.spec().tool(), contentType, digest.sha256(), digest.bytes());
    }

    /** What {@link ImageResults} records of a processed file. */
    public record ProcessedFile(String blobKey, String fileName, String tool, String contentType, String checksum,
                                long bytesize) {}
}
