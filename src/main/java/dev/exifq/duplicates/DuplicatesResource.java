package dev.exifq.duplicates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Iterator;
import java.util.Set;

/** Near-duplicate search by hash, and the whole library grouped into duplicate clusters. */
@Path("/v1/duplicates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Duplicates")
@SecurityRequirement(name = "apiKey")
public class DuplicatesResource {
    private static final Set<String> SEARCH_FIELDS = Set.of("phash", "dhash", "max_distance", "limit", "orientation");

    private final DuplicatesService duplicates;
    private final CurrentUser user;
    private final ObjectMapper json;

    public DuplicatesResource(DuplicatesService duplicates, CurrentUser user, ObjectMapper json) {
        this.duplicates = duplicates;
        this.user = user;
        this.json = json;
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Find images by hash", description = "The caller's processed images whose phash (or dhash) "
            + "is within max_distance (0 to 16, default 6) of the given one, nearest first, ties by id. Hashes are "
            + "16 hex digits as imagehash prints them, so hashes computed in Python can be searched directly. "
            + "With both hashes, an image must be within max_distance on both and its distance is the larger. "
            + "With \"orientation\": \"any\", each hash is an object giving the hash of each of the eight "
            + "orientations of the caller's image (identity, mirror, rotate180, flip, transpose, rotate90, transverse, "
            + "rotate270; rotate90 is a quarter turn clockwise, Pillow's Transpose.ROTATE_270), each is looked up, and "
            + "each match comes with the turn that maps it onto the caller's image.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {@ExampleObject(name = "phash",
            value = "{\"phash\": \"d25725691b24c4bf\", \"max_distance\": 6}"), @ExampleObject(name = "any orientation",
            value = """
                    {"orientation": "any", "phash": {"identity": "d25725691b24c4bf", "mirror": "f0d2a5691b24c4bf",
                     "rotate180": "9a5725691b24c4bf", "flip": "c35725691b24c4bf", "transpose": "d2a725691b24c4bf",
                     "rotate90": "d25765691b24c4bf", "transverse": "d25725e91b24c4bf", "rotate270": "d25725691b2444bf"}}""")}))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SearchView.class),
            examples = {@ExampleObject(name = "found", value = """
                    {"ok": true, "max_distance": 6,
                     "similar": [{"id": "01hq3v8b1d2e3f4g5h6j7k8m9n", "filename": "IMG_0001.jpg", "distance": 0}],
                     "truncated": false}"""), @ExampleObject(name = "any orientation", value = """
                    {"ok": true, "max_distance": 6, "orientation": "any",
                     "similar": [{"id": "01hq3v8b1d2e3f4g5h6j7k8m9n", "filename": "IMG_0001.jpg", "distance": 0,
                                  "orientation": "rotate270"}],
                     "truncated": false}""")}))
    @APIResponse(responseCode = "400", description = "No hash, a hash that is not 16 hex digits, bad max_distance, "
            + "limit, orientation or JSON, unknown field; with orientation any, a hash that is not an object of the "
            + "eight orientations' hashes (orientations_needed)")
    public SearchView search(String body) {
        JsonNode node = parse(body);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!SEARCH_FIELDS.contains(field)) {
                throw ApiException.badRequest("unknown_field", "Unknown field '" + field
                        + "'; give phash and/or dhash, and optionally max_distance, limit and orientation.");
            }
        }
        int distance = Params.maxDistance(node.get("max_distance"));
        int limit = Params.similarLimit(node.get("limit"));
        if (Params.anyOrientation(node.get("orientation"))) {
            var phashes = Params.orientedHashes(node.get("phash"), "phash");
            var dhashes = Params.orientedHashes(node.get("dhash"), "dhash");
            if (phashes == null && dhashes == null) {
                throw ApiException.badRequest("missing_hash", "Give a 'phash' or a 'dhash'.");
            }
            return duplicates.searchAnyOrientation(user.id(), phashes, dhashes, distance, limit);
        }
        Long phash = Params.hash(node.get("phash"), "phash");
        Long dhash = Params.hash(node.get("dhash"), "dhash");
        if (phash == null && dhash == null) {
            throw ApiException.badRequest("missing_hash", "Give a 'phash' or a 'dhash' (16 hex digits).");
        }
        return duplicates.search(user.id(), phash, dhash, distance, limit);
    }

    @GET
    @Operation(summary = "The library's duplicate clusters", description = "All of the caller's processed images "
            + "grouped into clusters: connected components of images whose hashes are within max_distance of each "
            + "other, or whose SHA-256 is equal; only clusters of 2 or more. Ordered by each cluster's oldest image, "
            + "which is also its id. Computed once per library change and reused for every page; pass next_cursor "
            + "as cursor (hash and max_distance come with it) until it is null. A page holds at most 'limit' "
            + "clusters and 2000 images; a larger cluster continues on the next page (offset > 0). At large "
            + "max_distance, chains of unrelated images can merge into one big cluster: start at the default. With "
            + "orientation=any, images also join when one turned by a quarter turn or mirrored is within max_distance "
            + "of the other.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClusterPageView.class),
            examples = @ExampleObject(name = "clusters", value = """
                    {"ok": true, "hash": "phash", "max_distance": 6, "total_clusters": 1, "total_images": 3,
                     "clusters": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "size": 3, "offset": 0, "images": [
                       {"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "filename": "IMG_0001.jpg", "checksum": "6bfd…", "distance": 0},
                       {"id": "01hq3v7a0c4d5e6f7g8h9j0k1m", "filename": "IMG_0001 copy.jpg", "checksum": "6bfd…", "distance": 0},
                       {"id": "01hq3v8b1d2e3f4g5h6j7k8m9n", "filename": "IMG_0001-small.jpg", "checksum": "40a7…", "distance": 2}]}],
                     "next_cursor": null}""")))
    @APIResponse(responseCode = "202", description = "A big library's clusters are still being computed after "
            + "exifq.duplicates.cluster-wait (20 s); the computation goes on and is cached: repeat the same request "
            + "after Retry-After seconds.", content = @Content(examples = @ExampleObject(name = "computing", value = """
                    {"ok": true, "status": "computing", "message": "The duplicate clusters of this library are still being computed (waited 20 s); the work goes on, ask again in a few seconds.", "retry_after": 5}""")))
    @APIResponse(responseCode = "400", description = "Bad hash, max_distance, limit, orientation or cursor")
    public ClusterPageView clusters(
            @Parameter(description = "phash (default) or dhash") @QueryParam("hash") String hash,
            @Parameter(description = "0 to 16, default 6") @QueryParam("max_distance") String maxDistance,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Clusters per page, 1 to 500, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "same (default), or any: images also join when one turned (quarter turns, "
                    + "mirrored) is near the other") @QueryParam("orientation") String orientation) {
        int max = Params.clusterLimit(limit);
        if (cursor != null && !cursor.isEmpty()) {
            ClusterCursor c = ClusterCursor.decode(cursor);
            if ((hash != null && !hash.isEmpty() && HashKind.parse(hash) != c.kind())
                    || (maxDistance != null && !maxDistance.isEmpty() && Params.maxDistance(maxDistance) != c.maxDistance())
                    || (orientation != null && !orientation.isEmpty() && Params.anyOrientation(orientation) != c.anyOrientation())) {
                throw ApiException.badRequest("invalid_cursor", "This cursor belongs to hash=" + c.kind().column()
                        + "&max_distance=" + c.maxDistance() + "&orientation=" + (c.anyOrientation() ? "any" : "same") + ".");
            }
            return duplicates.clusters(user.id(), c.kind(), c.maxDistance(), c.anyOrientation(), c, max);
        }
        return duplicates.clusters(user.id(), HashKind.parse(hash), Params.maxDistance(maxDistance),
                Params.anyOrientation(orientation), null, max);
    }

    private JsonNode parse(String body) {
        return JsonBodies.object(json, body, "missing_hash", "Send a JSON object with a 'phash' or a 'dhash'.");
    }
}
