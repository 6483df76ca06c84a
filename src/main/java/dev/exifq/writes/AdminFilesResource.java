package dev.exifq.writes;

import dev.exifq.accounts.AdminOnly;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin operations on processed files. */
@Path("/api/admin/files")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class AdminFilesResource {
    private final ProcessedFiles files;

    public AdminFilesResource(ProcessedFiles files) {
        this.files = files;
    }

    @POST
    @Path("/purge")
    @Operation(summary = "Purge processed files deleted more than 24 hours ago",
            description = "Deletes blob and row; a blob that cannot be deleted keeps its row and counts as failed.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "purged", value = "{\"ok\": true, \"purged\": 12, \"failed\": 0}")))
    @APIResponse(responseCode = "403", description = "Not an admin")
    public ProcessedFiles.PurgeReport purge() {
        files.expire();
        return files.purge();
    }
}
