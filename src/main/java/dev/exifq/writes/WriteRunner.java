package dev.exifq.writes;

import dev.exifq.images.Image;
import dev.exifq.images.IngestService;
import dev.exifq.metadata.EditSpec;
import dev.exifq.metadata.MetadataWriteException;
import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a write the way every image runs (a row with an edit, claimed and processed by a local worker or the
 * JobRunr job), waits for it and answers with the processed file. Refusals found only by ExifTool (a value
 * it will not take, a format it cannot write) fail the image, which gives its unit of the daily limit back.
 */
@ApplicationScoped
public class WriteRunner {
    private final IngestService ingest;
    private final Downloads downloads;

    public WriteRunner(IngestService ingest, Downloads downloads) {
        this.ingest = ingest;
        this.downloads = downloads;
    }

    /** The single {@code file} of a write request; 400 naming the field when missing or repeated. */
    static FileUpload single(List<FileUpload> files) {
        if (files == null || files.isEmpty()) {
            throw ApiException.badRequest("missing_file", "Upload the image as the 'file' field (multipart/form-data).");
        }
        if (files.size() > 1) {
            throw ApiException.badRequest("invalid_file", "Upload one 'file' per request.");
        }
        return files.get(0);
    }

    public Response run(long userId, FileUpload file, EditSpec spec) throws IOException {
        return run(userId, file, spec, null);
    }

    /** {@code downloadName} (from the processed file's content type and the upload's name) names the attachment. */
    public Response run(long userId, FileUpload file, EditSpec spec,
                       java.util.function.BinaryOperator<String> downloadName) throws IOException {
        IngestService.Submission s = ingest.submitUpload(userId, file.uploadedFile(), file.fileName(), file.size(),
                false, spec);
        Image image = s.image();
        if (!s.finished()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", true);
            body.put("id", image.id);
            body.put("status", image.status);
            body.put("message", "Still processing; the file will be in your history when done.");
            body.put("statusUrl", "/v1/images/" + image.id);
            return Response.accepted(body).header(HttpHeaders.LOCATION, "/v1/images/" + image.id).build();
        }
        if (Image.FAILED.equals(image.status)) {
            throw refusal(image.errorCode, image.error);
        }
        ProcessedFile processed = processedFile(image);
        if (downloadName == null) {
            return downloads.send(processed);
        }
        return downloads.send(processed, downloadName.apply(processed.contentType, processed.fileName));
    }

    static ProcessedFile processedFile(Image image) {
        ProcessedFile processed = ProcessedFile.findById(image.id);
        if (processed == null) {
            throw new IllegalStateException("image " + image.id + " processed without its processed file");
        }
        return processed;
    }

    static ApiException refusal(String code, String message) {
        if (code == null) {
            return new ApiException(500, "processing_error", message);
        }
        return switch (code) {
            case MetadataWriteException.INVALID_FIELD -> new ApiException(400, code, message);
            case MetadataWriteException.FORMAT_NOT_WRITABLE, "not_an_image" -> new ApiException(415, code, message);
            case "processing_error", "file_missing" -> new ApiException(500, code, message);
            default -> new ApiException(422, code, message);
        };
    }
}
