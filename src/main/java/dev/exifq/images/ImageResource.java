package dev.exifq.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.metadata.EditSpec;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.idempotency.IdempotencyKeys;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
    private static final int RETRY_AFTER_SECONDS = 1;
    private static final String IDEMPOTENCY_CONFLICT = """
            {"ok": false, "error": "idempotency_conflict", "message": "This Idempotency-Key was used in the last 24 \
            hours with a different request; use a new key for a new request."}""";

    private final IngestService ingest;
    private final ImageDeletion deletion;
    private final CurrentUser user;
    private final ObjectMapper json;
    private final EditRequests edits;
    private final ImageWaits waits;
    private final OwnedImages images;
    private final ImageListing listing;

    public ImageResource(IngestService ingest, ImageDeletion deletion, CurrentUser user, ObjectMapper json,
                         EditRequests edits, ImageWaits waits, ImageListing listing, OwnedImages images) {
        this.listing = listing;
        this.images = images;
        this.edits = edits;
        this.waits = waits;
        this.ingest = ingest;
        this.deletion = deletion;
        this.user = user;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit an image by URL", description = "Fetches the URL (http/https, public addresses only, "
            + "at most 25 MB and 5 redirects) and extracts its metadata. With async=false (the default) the answer waits "
            + "for the result, up to the sync timeout. With callback_url, the finished image's JSON is also POSTed there, "
            + "signed (docs/webhooks.md).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "url", value = "{\"url\": \"https://example.com/photo.jpg\", \"async\": false}"),
            @ExampleObject(name = "callback", value = "{\"url\": \"https://example.com/photo.jpg\", \"async\": true, "
                    + "\"callback_url\": \"https://hooks.example.com/exifq\"}")}))
    @APIResponse(responseCode = "200", description = "Finished (processed or failed)",
            content = @Content(schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "202", description = "Queued or still processing; poll the Location")
    @APIResponse(responseCode = "400", description = "Missing or invalid url, bad JSON, bad async, bad "
            + "Idempotency-Key, callback_url not an absolute http(s) URL", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_callback_url", value = """
            {"ok": false, "error": "invalid_callback_url",
             "message": "'callback_url' must be an absolute http or https URL."}""")))
    @APIResponse(responseCode = "429", description = "The plan's daily image limit is reached", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "limit_reached", value = LIMIT_REACHED)))
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = "Optional, 1-255 of "
            + "A-Z a-z 0-9 . _ : -. The same key with the same request within 24 hours answers the image the first "
            + "request made (its current state; no second unit of the daily limit); keys are per user",
            example = "order-1234-photo-1")
    @APIResponse(responseCode = "409", description = "This Idempotency-Key came with a different request in the "
            + "last 24 hours", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "idempotency_conflict", value = IDEMPOTENCY_CONFLICT)))
    public Response submitJson(String body, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        String idem = IdempotencyKeys.validate(idempotencyKey);
        JsonNode node = parse(body);
        String url = text(node, "url");
        if (node.hasNonNull("file")) {
            throw ApiException.badRequest("invalid_request", "Upload files as multipart/form-data, not in JSON.");
        }
        boolean async = AsyncFlag.parse(node.get("async"));
        String callbackUrl = IngestService.validateCallbackUrl(text(node, "callback_url"));
        EditSpec edit = node.hasNonNull("edit") ? edits.parse(node.get("edit")) : null;
        return answer(ingest.submitUrl(user.id(), url, text(node, "filename"), async, edit, idem, callbackUrl),
                async);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload an image", description = "multipart/form-data with `file` (at most 25 MB), "
            + "optional `async` (true/false), `filename` and `callback_url` (the finished image's JSON is POSTed "
            + "there, signed: docs/webhooks.md).")
    @APIResponse(responseCode = "200", description = "Finished (processed or failed)",
            content = @Content(schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "202", description = "Queued or still processing; poll the Location")
    @APIResponse(responseCode = "400", description = "No file and no url, both, bad async, bad Idempotency-Key, "
            + "a 'file' part without a file name, or a callback_url that is not an absolute http(s) URL")
    @APIResponse(responseCode = "413", description = "Larger than 25 MB")
    @APIResponse(responseCode = "415", description = "Not an image")
    @APIResponse(responseCode = "429", description = "The plan's daily image limit is reached", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "limit_reached", value = LIMIT_REACHED)))
    @APIResponse(responseCode = "503", description = "Object storage unreachable; nothing was kept, retry later",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
                    name = "storage_unavailable", value = """
                    {"ok": false, "error": "storage_unavailable",
                     "message": "The upload could not be stored right now and was not kept; try again later."}""")))
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = "Optional, 1-255 of "
            + "A-Z a-z 0-9 . _ : -. The same key with the same request within 24 hours answers the image the first "
            + "request made (its current state; no second unit of the daily limit); keys are per user",
            example = "order-1234-photo-1")
    @APIResponse(responseCode = "409", description = "This Idempotency-Key came with a different request in the "
            + "last 24 hours", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "idempotency_conflict", value = IDEMPOTENCY_CONFLICT)))
    public Response submitUpload(@RestForm("file") List<FileUpload> files, @RestForm String url,
                                 @RestForm String async, @RestForm String filename,
                                 @RestForm("edit") String editJson,
                                 @RestForm("callback_url") String callbackUrlField,
                                 @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) throws IOException {
        String idem = IdempotencyKeys.validate(idempotencyKey);
        boolean hasFile = files != null && !files.isEmpty();
        boolean hasUrl = url != null && !url.isBlank();
        if (hasFile && hasUrl) {
            throw ApiException.badRequest("invalid_request", "Give either a 'url' or a 'file', not both.");
        }
        if (files != null && files.size() > 1) {
            throw ApiException.badRequest("invalid_request", "Upload one 'file' per request.");
        }
        boolean isAsync = AsyncFlag.parse(async);
        String callbackUrl = IngestService.validateCallbackUrl(callbackUrlField);
        EditSpec edit = editJson == null || editJson.isBlank() ? null
                : edits.parse(JsonBodies.object(json, editJson, "invalid_edit", "'edit' must be a JSON object."));
        if (hasUrl) {
            return answer(ingest.submitUrl(user.id(), url, filename, isAsync, edit, idem, callbackUrl), isAsync);
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
        return answer(ingest.submitUpload(user.id(), file.uploadedFile(), name, file.size(), isAsync, edit, idem,
                callbackUrl), isAsync);
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
    @Operation(summary = "List your images", description = "Newest first, a page at a time: pass next_cursor as "
            + "cursor for the next page (null on the last). Filter by batch (a batch id) and status. Each image is "
            + "the JSON of GET /v1/images/{id}.")
    @Parameter(name = "batch", in = ParameterIn.QUERY, description = "Only this batch's images",
            example = "01hq3v6k2m8x9y7z5w4t3s2r1q")
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "queued, processing, processed or failed",
            example = "failed")
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "next_cursor of the previous page")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Images per page, 1 to 100, default 50",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"), example = "100")
    @APIResponse(responseCode = "200", description = "A page of images", content = @Content(
            schema = @Schema(implementation = ImageListing.Page.class), examples = @ExampleObject(name = "page",
            value = """
                    {"images": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "status": "processed", "...": "..."}],
                     "next_cursor": "MTcwODcwMTMyOTAwMDAwMDowMWhxM3Y2azJtOHg5eTd6NXc0dDNzMnIxcQ"}""")))
    @APIResponse(responseCode = "400", description = "Bad batch, status, cursor or limit", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_limit", value = """
            {"ok": false, "error": "invalid_limit", "message": "'limit' must be a whole number from 1 to 100."}""")))
    public ImageListing.Page list(@QueryParam("batch") String batch, @QueryParam("status") String status,
                                  @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return listing.list(user.id(), batch, status, cursor, limit);
    }

    @GET
    @Path("/{id}")
    @Blocking // reads the row on a worker thread; a long poll then waits without one
    @Operation(summary = "Get an image", description = "Poll this until status is processed or failed. Cheap polling: "
            + "the answer carries a strong ETag, and If-None-Match with it answers 304 without a body while nothing "
            + "changed; while queued or processing, Retry-After says when to ask again (seconds). With wait=N "
            + "(1..30) the answer waits up to N seconds for the status to change from what it is when the request "
            + "arrives, and is then the image as it is (a finished image answers at once).")
    @Parameter(name = "wait", in = ParameterIn.QUERY, description = "Long poll: seconds (1..30) to wait for a status "
            + "change", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "30"), example = "20")
    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, description = "The ETag of the image you have",
            example = "\"5d41402abc4b2a76b9719d911017c592\"")
    @APIResponse(responseCode = "200", description = "The image; headers ETag, and Retry-After while unfinished",
            content = @Content(schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match matched the current ETag: unchanged, no body")
    @APIResponse(responseCode = "400", description = "wait is not an integer from 1 to 30", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_wait", value = """
            {"ok": false, "error": "invalid_wait", "message": "'wait' must be a whole number of seconds from 1 to 30."}""")))
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours")
    public CompletionStage<Response> get(@PathParam("id") String id, @QueryParam("wait") String wait,
                                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Duration waitFor = WaitParam.parse(wait);
        long userId = user.id();
        Image image = images.owned(id, userId);
        if (waitFor.isZero() || image.isFinished()) {
            return CompletableFuture.completedFuture(conditional(image, ifNoneMatch));
        }
        return waitForChange(image.id, userId, image.status, Instant.now().plus(waitFor), ifNoneMatch);
    }

    private CompletionStage<Response> waitForChange(String id, long userId, String from, Instant deadline,
                                                    String ifNoneMatch) {
        return waits.change(id, from, Duration.between(Instant.now(), deadline))
                .thenApplyAsync(v -> images.owned(id, userId),
                        Infrastructure.getDefaultWorkerPool())
                .thenCompose(image -> image.status.equals(from) && Instant.now().isBefore(deadline)
                        ? waitForChange(id, userId, from, deadline, ifNoneMatch) // a signal without a change
                        : CompletableFuture.completedFuture(conditional(image, ifNoneMatch)));
    }

    /** 200 with the image and its ETag, or 304 when the client's If-None-Match already has it. */
    private Response conditional(Image image, String ifNoneMatch) {
        byte[] body;
        try {
            // only an edited image's view reads the database (its processed file): a poll of any other costs no
            // second transaction
            body = json.writeValueAsBytes(image.edit == null ? ImageView.of(image)
                    : QuarkusTransaction.requiringNew().call(() -> ImageView.of(image)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String etag = EntityTags.of(body);
        Response.ResponseBuilder answer = EntityTags.noneMatchFails(ifNoneMatch, etag)
                ? Response.notModified() : Response.ok(body, MediaType.APPLICATION_JSON_TYPE);
        answer.header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        if (!image.isFinished()) {
            answer.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return answer.build();
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
