package dev.exifq.writes;

import dev.exifq.accounts.CurrentUser;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;

/** The processed file of an image submitted to POST /v1/images with an edit. */
@Path("/v1/images/{id}/file")
@Tag(name = "Images")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class ImageFileResource {
    private final CurrentUser user;
    private final Downloads downloads;

    public ImageFileResource(CurrentUser user, Downloads downloads) {
        this.user = user;
        this.downloads = downloads;
    }

    @GET
    @Produces({"image/*", MediaType.APPLICATION_JSON})
    @Operation(summary = "Download the processed file of an image with an edit", description = "For 24 hours.")
    @APIResponse(responseCode = "200", description = "The file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "302", description = "With exifq.downloads.presigned=true on the S3 store: Location is "
            + "a presigned URL of the file, valid for a few minutes, whose answer names the file (Content-Disposition)")
    @APIResponse(responseCode = "404", description = "Unknown id, not yours, or an image without an edit")
    @APIResponse(responseCode = "410", description = "Older than 24 hours")
    public Response file(@PathParam("id") String id) throws IOException {
        return downloads.download(HistoryResource.owned(id, user.id()));
    }
}
