package dev.exifq.writes;

import dev.exifq.billing.Usage;
import dev.exifq.images.Image;
import dev.exifq.images.ImageDeletion;
import dev.exifq.images.IngestService;
import dev.exifq.metadata.EditSpec;
import dev.exifq.metadata.MetadataWriteException;
import dev.exifq.metadata.WritableFormats;
import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one edit on several uploads. Every file is checked first (size, an image, a format ExifTool can write),
 * so one bad file fails the request, named, before anything is counted; then all are accepted together (one
 * unit each, all or none) and each runs as a single write does (row, job, claim, local fast path), which also
 * puts each in the history. The answer is one ZIP of the processed files, streamed from the blob store.
 * A refusal only ExifTool can make (a value it will not take) fails that image, which gives its unit back, and
 * the request with it, naming the file; the others were written and stay counted and in the history.
 */
@ApplicationScoped
public class BulkWrites {
    static final String ZIP = "application/zip";
    static final int MAX_FILES = 20;

    private final IngestService ingest;
    private final WritableFormats formats;
    private final Downloads downloads;
    private final Usage usage;
    private final ImageDeletion deletion;

    public BulkWrites(IngestService ingest, WritableFormats formats, Downloads downloads, Usage usage,
                      ImageDeletion deletion) {
        this.usage = usage;
        this.deletion = deletion;
        this.ingest = ingest;
        this.formats = formats;
        this.downloads = downloads;
    }

    /** 400 naming {@code files} unless there are 1 to {@value #MAX_FILES}. */
    static void checkCount(List<FileUpload> files) {
        if (files == null || files.isEmpty()) {
            throw new ApiException(400, "missing_files", "Upload the images as 'files' parts (multipart/form-data).",
                    Map.of("field", "files"));
        }
        if (files.size() > MAX_FILES) {
            throw new ApiException(400, "too_many_files", "'files': at most " + MAX_FILES + " files per request (got "
                    + files.size() + ").", Map.of("field", "files"));
        }
    }

    Response run(long userId, List<FileUpload> files, EditSpec spec, String zipName) throws IOException {
        List<IngestService.Upload> uploads = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileUpload f = files.get(i);
            IngestService.Upload upload = new IngestService.Upload(f.uploadedFile(), f.fileName(), f.size());
            try {
                ingest.check(upload);
            } catch (ApiException e) {
                throw badFile(400, e.code(), e.getMessage(), i, f);
            }
            String type = formats.type(f.uploadedFile());
            if (!formats.canWrite(type)) {
                throw badFile(400, MetadataWriteException.FORMAT_NOT_WRITABLE, type == null
                        ? "ExifTool does not recognise this file's format."
                        : "This file format cannot be written: " + type + ".", i, f);
            }
            uploads.add(upload);
        }
        List<IngestService.Submission> done = ingest.submitUploads(userId, uploads, false, spec);
        if (done.stream().anyMatch(s -> !s.finished())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", true);
            body.put("ids", done.stream().map(s -> s.image().id).toList());
            body.put("message", "Still processing; the files will be in your history when done.");
            body.put("historyUrl", "/api/images/history");
            return Response.accepted(body).build();
        }
        List<ProcessedFile> processed = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            Image image = done.get(i).image();
            if (Image.FAILED.equals(image.status)) {
                undoTheOthers(userId, done, image.id);
                ApiException refusal = WriteRunner.refusal(image.errorCode, image.error);
                throw badFile(refusal.status(), refusal.code(), refusal.getMessage(), i, files.get(i));
            }
            processed.add(WriteRunner.processedFile(image));
        }
        return downloads.zip(zipName, processed);
    }

    /**
     * All or none: a file ExifTool refused at write time (a damaged file, a value this format cannot hold) fails
     * the request, so the files written beside it are given back (their units refunded, the images and processed
     * files deleted: the client never received them). The failed one was refunded when it failed.
     */
    private void undoTheOthers(long userId, List<IngestService.Submission> done, String failedId) {
        List<String> others = done.stream().map(s -> s.image().id).filter(id -> !id.equals(failedId)).toList();
        usage.refund(others);
        others.forEach(id -> deletion.delete(userId, id));
    }

    private static ApiException badFile(int status, String code, String message, int index, FileUpload f) {
        String name = f.fileName() == null ? "" : f.fileName();
        return new ApiException(status, code, "'" + printable(name) + "' (files #" + (index + 1) + "): " + message,
                Map.of("field", "files", "file", name, "index", index + 1));
    }

    private static String printable(String s) {
        return s.codePoints().limit(200).collect(StringBuilder::new,
                (b, c) -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c), StringBuilder::append).toString();
    }
}
