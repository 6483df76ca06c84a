package dev.exifq.batches;

import dev.exifq.accounts.CurrentUser;
import dev.exifq.duplicates.HashKind;
import dev.exifq.duplicates.Params;
import dev.exifq.idempotency.IdempotencyKeys;
import dev.exifq.platform.ApiException;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Batches of up to 10,000 URLs: submit, follow, export the results, find the duplicates inside. */
@Path("/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Batches")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class BatchResource {
    private static final Logger LOG = Logger.getLogger(BatchResource.class);
    private static final String NDJSON = "application/x-ndjson";
    private static final String ACCEPTED = """
            {"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "status": "queued", "total": 3}""";
    private static final String BATCH = """
            {"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "status": "running", "total": 3, "queued": 1, "processing": 1,
             "processed": 1, "failed": 0, "created_at": "2024-02-23 15:15:29 UTC", "completed_at": null}""";
    private static final String INVALID_URL = """
            {"ok": false, "error": "invalid_url", "message": "URL 2 (counting from 0): Only http and https URLs can be fetched.", "index": 2}""";
    private static final String IDEMPOTENCY_CONFLICT = """
            {"ok": false, "error": "idempotency_conflict", "message": "This Idempotency-Key was used in the last 24 \
            hours with a different request; use a new key for a new request."}""";
    private static final String LIMIT_REACHED = """
            {"ok": false, "error": "limit_reached", "message": "Daily limit of 300 images reached. Upgrade your plan for more.",
             "upgradeUrl": "/pricing"}""";
    private static final String NOT_FOUND = """
            {"ok": false, "error": "not_found", "message": "No batch with this id."}""";

    private final Batches batches;
    private final BatchRequests requests;
    private final BatchResults results;
    private final BatchDuplicates duplicates;
    private final CurrentUser user;

    public BatchResource(Batches batches, BatchRequests requests, BatchResults results, BatchDuplicates duplicates,
                         CurrentUser user) {
        this.batches = batches;
        this.requests = requests;
        this.results = results;
        this.duplicates = duplicates;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a batch of URLs", description = "1 to 10,000 http/https URLs, each checked as POST "
            + "/v1/images checks one; every item is stored before the answer, then turned into images in chunks by a "
            + "job. Each URL takes one unit of the daily limit, all or none (a failed image gives its unit back). "
            + "Optional callback_url (absolute http/https) gets the batch JSON when it completes; optional edit as on "
            + "POST /v1/images, applied to every image.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "batch",
            value = """
                    {"urls": ["https://example.com/a.jpg", "https://example.com/b.jpg"],
                     "callback_url": "https://example.com/hooks/exifq"}""")))
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = "Optional, 1-255 of "
            + "A-Z a-z 0-9 . _ : -. The same key with the same batch within 24 hours answers the batch the first "
            + "request made (no second use of the daily limit); keys are per user", example = "dataset-7-run-1")
    @APIResponse(responseCode = "202", description = "Stored; follow it at Location", content = @Content(
            schema = @Schema(implementation = BatchView.Accepted.class), examples = @ExampleObject(name = "accepted",
            value = ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Empty body, no urls, urls not a list, none or more than "
            + "10,000, a bad URL (its index), bad callback_url or edit, bad Idempotency-Key", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_url", value = INVALID_URL)))
    @APIResponse(responseCode = "409", description = "This Idempotency-Key came with a different batch in the last "
            + "24 hours", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "idempotency_conflict", value = IDEMPOTENCY_CONFLICT)))
    @APIResponse(responseCode = "429", description = "The batch does not fit in what is left of today's limit; "
            + "nothing was stored", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "limit_reached", value = LIMIT_REACHED)))
    public Response submitJson(String body, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        String idem = IdempotencyKeys.validate(idempotencyKey);
        return accepted(batches.create(user.id(), requests.fromJson(body), idem));
    }

    @POST
    @Consumes({MediaType.TEXT_PLAIN, NDJSON, "application/jsonl"})
    @Operation(summary = "Submit a batch as a list of URLs", description = "text/plain: one URL a line; "
            + "application/x-ndjson (or application/jsonl): one JSON string or {\"url\": ...} a line. Blank lines are "
            + "skipped; otherwise as the JSON form, without callback_url and edit.")
    @RequestBody(content = @Content(mediaType = MediaType.TEXT_PLAIN, examples = @ExampleObject(name = "lines",
            value = "https://example.com/a.jpg\nhttps://example.com/b.jpg\n")))
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = "As for the JSON form",
            example = "dataset-7-run-1")
    @APIResponse(responseCode = "202", description = "Stored; follow it at Location", content = @Content(
            schema = @Schema(implementation = BatchView.Accepted.class), examples = @ExampleObject(name = "accepted",
            value = ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Empty body, more than 10,000 URLs, a bad URL or line (its "
            + "index)", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "invalid_url", value = INVALID_URL)))
    @APIResponse(responseCode = "409", description = "This Idempotency-Key came with a different batch",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
                    name = "idempotency_conflict", value = IDEMPOTENCY_CONFLICT)))
    @APIResponse(responseCode = "429", description = "Over what is left of today's limit; nothing was stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
                    name = "limit_reached", value = LIMIT_REACHED)))
    public Response submitList(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                               @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        String idem = IdempotencyKeys.validate(idempotencyKey);
        BatchRequest request = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/")
                ? requests.fromText(body) : requests.fromNdjson(body);
        return accepted(batches.create(user.id(), request, idem));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response submitOther(String body) {
        throw new ApiException(415, "unsupported_media_type",
                "Send application/json with 'urls', or one URL a line as text/plain or application/x-ndjson.");
    }

    private static Response accepted(Batches.Created created) {
        String id = created.batch().id();
        if (created.isNew()) {
            try {
                BatchFeeder.enqueue(id); // after the commit; if this fails, BatchSweeper enqueues it
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not enqueue the feeder of batch %s; the sweeper will", id);
            }
        }
        return Response.accepted(created.batch()).header(HttpHeaders.LOCATION, "/v1/batches/" + id).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a batch", description = "How far the batch is: queued (items not started yet), "
            + "processing, processed, failed; status completed once every item is processed or failed.")
    @APIResponse(responseCode = "200", description = "The batch", content = @Content(
            schema = @Schema(implementation = BatchView.class), examples = @ExampleObject(name = "running", value = BATCH)))
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = NOT_FOUND)))
    public BatchView get(@PathParam("id") String id) {
        return batches.find(user.id(), id).orElseThrow(() -> ApiException.notFound("No batch with this id."));
    }

    @GET
    @Path("/{id}/results")
    @Produces({NDJSON, "text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Export a batch's results", description = "One row per item, in the order submitted, "
            + "streamed: id, url, status, checksum, bytesize, content_type, width, height, dhash, phash, camera, lens, "
            + "error. format=jsonl (default): one JSON object a line, camera and lens as objects, plus metadata. "
            + "format=csv: RFC 4180 with a header row, camera and lens by name; a cell starting with = + - @ gets a "
            + "leading ' so that no spreadsheet runs it. An item not started yet is queued with nulls.")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "jsonl (default) or csv", example = "csv")
    @APIResponse(responseCode = "200", description = "The rows", content = {
            @Content(mediaType = NDJSON, examples = @ExampleObject(name = "jsonl", value = """
                    {"id":"01hq3v6k2m8x9y7z5w4t3s2r1q","url":"https://example.com/a.jpg","status":"processed","checksum":"9f86d0…","bytesize":52344,"content_type":"image/jpeg","width":640,"height":480,"dhash":"0f0f1e1e3c3c7878","phash":"c3c3c3c33c3c3c3c","camera":{"name":"Canon EOS 40D"},"lens":null,"error":null,"metadata":{"EXIF":{"Make":"Canon"}}}""")),
            @Content(mediaType = "text/csv", examples = @ExampleObject(name = "csv", value = """
                    id,url,status,checksum,bytesize,content_type,width,height,dhash,phash,camera,lens,error
                    01hq3v6k2m8x9y7z5w4t3s2r1q,https://example.com/a.jpg,processed,9f86d0…,52344,image/jpeg,640,480,0f0f1e1e3c3c7878,c3c3c3c33c3c3c3c,Canon EOS 40D,,"""))})
    @APIResponse(responseCode = "400", description = "format is not jsonl or csv", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_format", value = """
            {"ok": false, "error": "invalid_format", "message": "'format' must be jsonl or csv."}""")))
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = NOT_FOUND)))
    public Response results(@PathParam("id") String id, @QueryParam("format") String format) {
        boolean csv;
        if (format == null || format.isEmpty() || format.equals("jsonl")) {
            csv = false;
        } else if (format.equals("csv")) {
            csv = true;
        } else {
            throw ApiException.badRequest("invalid_format", "'format' must be jsonl or csv.");
        }
        String batchId = batches.owned(user.id(), id);
        StreamingOutput body = csv ? out -> results.csv(batchId, out) : out -> results.jsonl(batchId, out);
        return Response.ok(body, csv ? "text/csv; charset=utf-8" : NDJSON)
                .header("Content-Disposition", "attachment; filename=\"batch-" + batchId + (csv ? ".csv" : ".jsonl") + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    @GET
    @Path("/{id}/duplicates")
    @Operation(summary = "Duplicate clusters inside a batch", description = "The batch's processed images grouped as "
            + "GET /v1/duplicates groups a library: linked by chains of hashes within max_distance, or by equal "
            + "checksums; clusters of two or more, each oldest first, distances to its oldest image.")
    @Parameter(name = "hash", in = ParameterIn.QUERY, description = "phash (default) or dhash", example = "phash")
    @Parameter(name = "max_distance", in = ParameterIn.QUERY, description = "0 to 16, default 6", example = "6")
    @APIResponse(responseCode = "200", description = "The clusters", content = @Content(
            schema = @Schema(implementation = BatchDuplicates.View.class), examples = @ExampleObject(name = "clusters",
            value = """
                    {"ok": true, "batch": "01hq3v6k2m8x9y7z5w4t3s2r1q", "hash": "phash", "max_distance": 6,
                     "total_clusters": 1, "total_images": 2, "clusters": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1r", "size": 2,
                     "offset": 0, "images": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1r", "filename": "a.jpg", "checksum": "9f86d0…",
                     "distance": 0}, {"id": "01hq3v6k2m8x9y7z5w4t3s2r1s", "filename": "b.jpg", "checksum": "9f86d0…",
                     "distance": 0}]}]}""")))
    @APIResponse(responseCode = "400", description = "Bad hash or max_distance", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_max_distance", value = """
            {"ok": false, "error": "invalid_max_distance", "message": "'max_distance' must be a whole number from 0 to 16."}""")))
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = NOT_FOUND)))
    public BatchDuplicates.View duplicates(@PathParam("id") String id, @QueryParam("hash") String hash,
                                           @QueryParam("max_distance") String maxDistance) {
        HashKind kind = HashKind.parse(hash);
        int distance = Params.maxDistance(maxDistance);
        return duplicates.of(batches.owned(user.id(), id), kind, distance);
    }
}
