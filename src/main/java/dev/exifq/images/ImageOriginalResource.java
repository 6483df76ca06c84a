package dev.exifq.images;

import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import dev.exifq.storage.BlobStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * The caller's own original, for showing it (the dashboard's thumbnails). The bytes are the uploader's, so the
 * answer must never become a page of ours: the type is the one detected from the bytes (never text/html; anything
 * not image/* is served as octet-stream), nosniff, and a sandboxing CSP in case it is opened directly (an SVG's
 * scripts do not run).
 */
@Path("/v1/images/{id}/original")
@Tag(name = "Images")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class ImageOriginalResource {
    static final String SANDBOX = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";
    private static final String NOT_FOUND = "No stored original for this id.";

    private final CurrentUser user;
    private final BlobStore blobs;

    private final OwnedImages images;

    public ImageOriginalResource(CurrentUser user, BlobStore blobs, OwnedImages images) {
        this.user = user;
        this.blobs = blobs;
        this.images = images;
    }

    @GET
    @Produces({"image/*", MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(summary = "The original file of one of your images",
            description = "Inline, with the Content-Type detected from the bytes, for as long as the original is "
                    + "kept (exifq.retention.originals); then 404, like unknown ids and other users' images.")
    @APIResponse(responseCode = "200", description = "The original (Content-Disposition: inline)", content = @Content(
            mediaType = "image/jpeg", examples = @ExampleObject(name = "original", value = "(the original's bytes)")))
    @APIResponse(responseCode = "404", description = "Unknown id, not yours, or the original is no longer kept",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found",
            value = "{\"ok\": false, \"error\": \"not_found\", \"message\": \"No stored original for this id.\"}")))
    public Response original(@PathParam("id") String id) throws IOException {
        Image image = images.find(id, user.id()).orElse(null);
        if (image == null || image.blobKey == null) {
            throw ApiException.notFound(NOT_FOUND);
        }
        InputStream in;
        try {
            in = blobs.open(image.blobKey);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw ApiException.notFound(NOT_FOUND);
        }
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder r = Response.ok(body, shownType(image.contentType))
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", SANDBOX)
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=300");
        return image.bytesize == null ? r.build() : r.header(HttpHeaders.CONTENT_LENGTH, image.bytesize).build();
    }

    static String shownType(String detected) {
        if (detected == null) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
        String t = detected.strip().toLowerCase(Locale.ROOT);
        return t.startsWith("image/") && t.matches("image/[a-z0-9.+-]+") ? t : MediaType.APPLICATION_OCTET_STREAM;
    }
}
