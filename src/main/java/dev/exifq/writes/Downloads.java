package dev.exifq.writes;

import dev.exifq.platform.ApiException;
import dev.exifq.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Answers with a processed file: streamed from the blob store as an attachment named as the client named its
 * upload; 410 once it has expired or was deleted.
 */
@ApplicationScoped
public class Downloads {
    private final BlobStore blobs;
    private final WritesClock clock;

    public Downloads(BlobStore blobs, WritesClock clock) {
        this.blobs = blobs;
        this.clock = clock;
    }

    public Response send(ProcessedFile file) throws IOException {
        return send(file, file.fileName);
    }

    /** The file as an attachment named {@code name} (the upload's name when null). */
    public Response send(ProcessedFile file, String name) throws IOException {
        if (!"available".equals(file.status(clock.now()))) {
            throw new ApiException(410, "gone", "This file was kept for 24 hours and is no longer available.");
        }
        InputStream in;
        try {
            in = blobs.open(file.blobKey);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ApiException(410, "gone", "This file is no longer available.");
        }
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, file.contentType == null ? "application/octet-stream" : file.contentType)
                .header(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(name == null ? file.fileName : name))
                .header(HttpHeaders.CONTENT_LENGTH, file.bytesize)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    /** A presigned URL for stores that have them (S3), so big files need not pass through us; else null. */
    public java.net.URI presigned(ProcessedFile file, Duration ttl) throws IOException {
        return blobs.presignedGet(file.blobKey, ttl, file.fileName);
    }

    /** {@code attachment} with an ASCII fallback and the exact name as RFC 5987 {@code filename*}. */
    static String contentDisposition(String name) {
        String n = name == null || name.isBlank() ? "image" : name;
        StringBuilder ascii = new StringBuilder();
        n.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? (char) c : '_'));
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(n, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
