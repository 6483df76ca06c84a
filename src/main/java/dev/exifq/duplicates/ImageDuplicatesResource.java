package dev.exifq.duplicates;

import dev.exifq.accounts.CurrentUser;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Duplicates of one image. Its own root path so it does not ride on ImageResource. */
@Path("/v1/images/{id}/duplicates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Duplicates")
@SecurityRequirement(name = "apiKey")
public class ImageDuplicatesResource {
    private final DuplicatesService duplicates;
    private final CurrentUser user;

    public ImageDuplicatesResource(DuplicatesService duplicates, CurrentUser user) {
        this.duplicates = duplicates;
        this.user = user;
    }

    @GET
    @Operation(summary = "Duplicates of an image", description = "Exact duplicates (the caller's other processed "
            + "images with the same SHA-256) and near duplicates (Hamming distance on phash or dhash at most "
            + "max_distance; exact copies are not repeated there), nearest first, ties by id. Only the caller's "
            + "images are searched. With orientation=any, the image's eight orientations (quarter turns and their "
            + "mirror images) are each looked up, and each match comes with the turn that maps it onto this image.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ImageDuplicatesView.class),
            examples = {@ExampleObject(name = "duplicates", value = """
                    {"ok": true, "id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "hash": "phash", "max_distance": 6,
                     "exact": ["01hq3v7a0c4d5e6f7g8h9j0k1m"],
                     "similar": [{"id": "01hq3v8b1d2e3f4g5h6j7k8m9n", "filename": "IMG_0001-small.jpg", "distance": 2}],
                     "truncated": false}"""), @ExampleObject(name = "any orientation", value = """
                    {"ok": true, "id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "hash": "phash", "max_distance": 6,
                     "orientation": "any", "exact": [],
                     "similar": [{"id": "01hq3v8b1d2e3f4g5h6j7k8m9n", "filename": "IMG_0001-sideways.jpg", "distance": 1,
                                  "orientation": "rotate90", "display_orientation": "identity"}],
                     "truncated": false}""")}))
    @APIResponse(responseCode = "400", description = "Bad hash, max_distance, limit or orientation")
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours")
    @APIResponse(responseCode = "409", description = "The image is not processed yet (error not_processed), or has "
            + "no perceptual hashes (error no_hashes)", content = @Content(examples = @ExampleObject(name = "no_hashes",
            value = "{\"ok\": false, \"error\": \"no_hashes\", \"message\": \"The image has no perceptual hashes, so it "
                    + "cannot be compared: Unrecognised or unsupported image format\"}")))
    public ImageDuplicatesView get(
            @PathParam("id") String id,
            @Parameter(description = "phash (default) or dhash") @QueryParam("hash") String hash,
            @Parameter(description = "0 to 16, default 6") @QueryParam("max_distance") String maxDistance,
            @Parameter(description = "At most this many exact and similar images, 1 to 1000, default 100")
            @QueryParam("limit") String limit,
            @Parameter(description = "same (default): the image as it is; any: also its seven other orientations "
                    + "(rotate90, rotate180, rotate270 clockwise, mirror, flip, transpose, transverse)")
            @QueryParam("orientation") String orientation) {
        HashKind kind = HashKind.parse(hash);
        int distance = Params.maxDistance(maxDistance);
        int max = Params.similarLimit(limit);
        return duplicates.forImage(user.id(), id, kind, distance, max, Params.anyOrientation(orientation));
    }
}
