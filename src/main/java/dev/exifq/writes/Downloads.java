package dev.exifq.writes;

import dev.exifq.platform.ApiException;
import dev.exifq.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Answers with a processed file: streamed from the blob store as an attachment named as the client named its
 * upload; 410 once it has expired or was deleted. With {@code exifq.downloads.presigned=true} and a store that
 * hands out presigned URLs (S3), the GET downloads answer instead with a redirect to one, valid for
 * {@code exifq.downloads.presigned-ttl}, so the bytes go from the bucket to the client without passing through us.
 */
@ApplicationScoped
public class Downloads {
    private final BlobStore blobs;
    private final WritesClock clock;
    private final boolean presigned;
    private final Duration presignedTtl;

    public Downloads(BlobStore blobs, WritesClock clock,
                     @ConfigProperty(name = "exifq.downloads.presigned", defaultValue = "false") boolean presigned,
                     @ConfigProperty(name = "exifq.downloads.presigned-ttl", defaultValue = "5m") Duration presignedTtl) {
        this.blobs = blobs;
        this.clock = clock;
        this.presigned = presigned;
        this.presignedTtl = presignedTtl;
    }

    /**
     * For the GET download endpoints: a 302 to a presigned URL (which names the file in the response's
     * Content-Disposition) when enabled and the store has them, else the file streamed as {@link #send}.
     */
    public Response download(ProcessedFile file) throws IOException {
        if (presigned) {
            requireAvailable(file);
            URI url = blobs.presignedGet(file.blobKey, presignedTtl, file.fileName);
            if (url != null) {
                return Response.status(Response.Status.FOUND).location(url).header("Cache-Control", "no-store").build();
            }
        }
        return send(file);
    }

    public Response send(ProcessedFile file) throws IOException {
        return send(file, file.fileName);
    }

    /** The file as an attachment named {@code name} (the upload's name when null). */
    public Response send(ProcessedFile file, String name) throws IOException {
        requireAvailable(file);
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

    /**
     * The files as one ZIP attachment, streamed: each entry is copied from the blob store while the client
     * reads, so neither the ZIP nor a whole file is ever held in memory. Entry names: {@link ZipEntryNames}.
     */
    public Response zip(String zipName, List<ProcessedFile> files) {
        files.forEach(this::requireAvailable);
        List<String> names = ZipEntryNames.unique(files.stream().map(f -> f.fileName).toList());
        StreamingOutput body = out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(Deflater.BEST_SPEED); // images are compressed already
                for (int i = 0; i < files.size(); i++) {
                    ZipEntry entry = new ZipEntry(names.get(i));
                    entry.setTime(files.get(i).createdAt.toEpochMilli());
                    zip.putNextEntry(entry);
                    try (InputStream in = blobs.open(files.get(i).blobKey)) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
        };
        return Response.ok(body, BulkWrites.ZIP)
                .header(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(zipName))
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private void requireAvailable(ProcessedFile file) {
        if (!"available".equals(file.status(clock.now()))) {
            throw new ApiException(410, "gone", "This file was kept for 24 hours and is no longer available.");
        }
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
