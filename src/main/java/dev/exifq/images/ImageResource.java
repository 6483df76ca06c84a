package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.metadata.EditSpec;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.util.List;

/** The PixelPeeper-compatible image API. */
@Path("/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Images")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class ImageResource {
    private static final String LIMIT_REACHED = """
            {"ok": false, "error": "limit_reached", "message": "Daily limit of 5 images reached. Upgrade your plan for more.",
             "upgradeUrl": "/pricing"}""";

    private final IngestService ingest;
    private final ImageDeletion deletion;
    private final CurrentUser user;
    private final ObjectMapper json;
    private final EditRequests edits;

    public ImageResource(IngestService ingest, ImageDeletion deletion, CurrentUser user, ObjectMapper json,
                         EditRequests edits) {
        this.edits = edits;
        this.ingest = ingest;
        this.deletion = deletion;
        this.user = user;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit an image by URL", description = "Fetches the URL (http/https, public addresses only, "
            + "at most 25 MB and 5 redirects) and extracts its metadata. With async=false (the default) the answer waits "
            + "for the result, up to the sync timeout.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "url",
            value = "{\"url\": \"https://example.com/photo.jpg\", \"async\": false}")))
    @APIResponse(responseCode = "200", description = "Finished (processed or failed)",
            content = @Content(schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "202", description = "Queued or still processing; poll the Location")
    @APIResponse(responseCode = "400", description = "Missing or invalid url, bad JSON, bad async")
    @APIResponse(responseCode = "429", description = "The plan's daily image limit is reached", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "limit_reached", value = LIMIT_REACHED)))
    public Response submitJson(String body) {
        JsonNode node = parse(body);
        String url = text(node, "url");
        if (node.hasNonNull("file")) {
            throw ApiException.badRequest("invalid_request", "Upload files as multipart/form-data, not in JSON.");
        }
        boolean async = AsyncFlag.parse(node.get("async"));
        EditSpec edit = node.hasNonNull("edit") ? edits.parse(node.get("edit")) : null;
        return answer(ingest.submitUrl(user.id(), url, text(node, "filename"), async, edit), async);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload an image", description = "multipart/form-data with `file` (at most 25 MB), "
            + "optional `async` (true/false) and `filename`.")
    @APIResponse(responseCode = "200", description = "Finished (processed or failed)",
            content = @Content(schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "202", description = "Queued or still processing; poll the Location")
    @APIResponse(responseCode = "400", description = "No file and no url, both, bad async, or a 'file' part "
            + "without a file name")
    @APIResponse(responseCode = "413", description = "Larger than 25 MB")
    @APIResponse(responseCode = "415", description = "Not an image")
    @APIResponse(responseCode = "429", description = "The plan's daily image limit is reached", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "limit_reached", value = LIMIT_REACHED)))
    @APIResponse(responseCode = "503", description = "Object storage unreachable; nothing was kept, retry later",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
                    name = "storage_unavailable", value = """
                    {"ok": false, "error": "storage_unavailable",
                     "message": "The upload could not be stored right now and was not kept; try again later."}""")))
    public Response submitUpload(@RestForm("file") List<FileUpload> files, @RestForm String url,
                                 @RestForm String async, @RestForm String filename,
                                 @RestForm("edit") String editJson) throws IOException {
        boolean hasFile = files != null && !files.isEmpty();
        boolean hasUrl = url != null && !url.isBlank();
        if (hasFile && hasUrl) {
            throw ApiException.badRequest("invalid_request", "Give either a 'url' or a 'file', not both.");
        }
        if (files != null && files.size() > 1) {
            throw ApiException.badRequest("invalid_request", "Upload one 'file' per request.");
        }
        boolean isAsync = AsyncFlag.parse(async);
        EditSpec edit = editJson == null || editJson.isBlank() ? null
                : edits.parse(JsonBodies.object(json, editJson, "invalid_edit", "'edit' must be a JSON object."));
        if (hasUrl) {
            return answer(ingest.submitUrl(user.id(), url, filename, isAsync, edit), isAsync);
        }
        if (!hasFile) {
            // also a 'file' part without a file name (curl -F 'file=<x'): the parser keeps it as a text field
            throw ApiException.badRequest("missing_input", "Give a 'url' or upload a 'file' as a file part with a "
                    + "file name (curl -F file=@photo.jpg).");
        }
        FileUpload file = files.get(0);
        if (file.uploadedFile() == null) {
            // a part without a file name is a form field to the parser, kept in memory up to 2 KB, not a file
            throw ApiException.badRequest("invalid_request", "The 'file' part has no file name, so it arrived as a "
                    + "form field, not a file; send it as a file part (curl -F file=@photo.jpg).");
        }
        String name = filename != null && !filename.isBlank() ? filename : file.fileName();
        return answer(ingest.submitUpload(user.id(), file.uploadedFile(), name, file.size(), isAsync, edit), isAsync);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response submitOther(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("missing_input", "Give a 'url' (JSON) or upload a 'file' (multipart/form-data).");
        }
        throw new ApiException(415, "unsupported_media_type",
                "Send application/json with a 'url', or multipart/form-data with a 'file'.");
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an image", description = "Poll this until status is processed or failed.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours")
    public ImageView get(@PathParam("id") String id) {
        return ImageView.of(owned(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an image", description = "Deletes the image: its original and processed files, "
            + "metadata, hashes (duplicate search no longer finds it) and row. A run still working on it ends "
            + "without writing anything. The unit of the daily limit it used stays used.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown id, not yours, or already deleted", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = """
            {"ok": false, "error": "not_found", "message": "No image with this id."}""")))
    public Response delete(@PathParam("id") String id) {
        String normalised = id == null ? null : id.toLowerCase(java.util.Locale.ROOT);
        if (!dev.exifq.platform.Ulid.isValid(normalised) || !deletion.delete(user.id(), normalised)) {
            throw ApiException.notFound("No image with this id.");
        }
        return Response.noContent().build();
    }

    Image owned(String id) {
        String normalised = id == null ? null : id.toLowerCase(java.util.Locale.ROOT);
        if (!dev.exifq.platform.Ulid.isValid(normalised)) {
            throw ApiException.notFound("No image with this id.");
        }
        return Image.findOwned(normalised, user.id()).orElseThrow(() -> ApiException.notFound("No image with this id."));
    }

    private Response answer(IngestService.Submission s, boolean async) {
        ImageView view = ImageView.of(s.image());
        if (!async && s.finished()) {
            return Response.ok(view).build();
        }
        // as the contract has it, a path: Response.location() would make it absolute from the request's Host,
        // which behind a proxy or ingress is the service's internal address
        return Response.accepted(view).header(HttpHeaders.LOCATION, "/v1/images/" + s.image().id).build();
    }

    private JsonNode parse(String body) {
        return JsonBodies.object(json, body, "missing_input", "Give a 'url' or upload a 'file'.");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            throw ApiException.badRequest("invalid_" + field, "'" + field + "' must be a string.");
        }
        return v.asText();
    }
}
