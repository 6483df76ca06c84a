package dev.exifq.writes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.billing.Feature;
import dev.exifq.billing.Plans;
import dev.exifq.metadata.EditSpec;
import dev.exifq.metadata.WritableTags;
import dev.exifq.platform.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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

/**
 * The bulk writes (a plan feature): up to {@value BulkWrites#MAX_FILES} images as {@code files} parts, the same
 * edit applied to each, one ZIP back. Everything is checked before anything is counted (see {@link BulkWrites}).
 */
@Path("/api/images")
@Produces({BulkWrites.ZIP, MediaType.APPLICATION_JSON})
@Consumes(MediaType.MULTIPART_FORM_DATA)
@Tag(name = "Writing metadata")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class BulkWriteResource {
    static final String BAD_FILE = """
            {"ok": false, "error": "not_an_image", "message": "'notes.txt' (files #2): The uploaded file is not an image format we can read.", "field": "files", "file": "notes.txt", "index": 2}""";
    static final String TOO_MANY = """
            {"ok": false, "error": "too_many_files", "message": "'files': at most 20 files per request (got 21).", "field": "files"}""";
    static final String PLAN_REQUIRED = """
            {"ok": false, "error": "plan_required", "message": "The Pro plan is required for bulk processing.", "upgradeUrl": "/pricing"}""";
    static final String LIMIT = """
            {"ok": false, "error": "limit_reached", "message": "Daily limit of 300 images reached. Upgrade your plan for more.", "upgradeUrl": "/pricing"}""";

    private final BulkWrites bulk;
    private final CurrentUser user;
    private final Plans plans;
    private final WritableTags writable;
    private final ObjectMapper json;

    public BulkWriteResource(BulkWrites bulk, CurrentUser user, Plans plans, WritableTags writable, ObjectMapper json) {
        this.bulk = bulk;
        this.user = user;
        this.plans = plans;
        this.writable = writable;
        this.json = json;
    }

    @POST
    @Path("/advanced-edit-bulk")
    @Operation(summary = "Write the same ExifTool tags into up to 20 images; one ZIP back",
            description = "Pro plan. files: 1 to 20 images (25 MB each); fields and mode as for advanced-edit. Every "
                    + "file and field is checked first: one bad file fails the request (400 naming it) before "
                    + "anything is counted. Each file counts one image of the daily limit, all or none. The ZIP "
                    + "holds each edited file under the client's file name (no folders; repeated names become "
                    + "'a (2).jpg'); each is also in the history.")
    @APIResponse(responseCode = "200", description = "The ZIP of the edited files (Content-Disposition: attachment)",
            content = @Content(mediaType = BulkWrites.ZIP, examples = @ExampleObject(name = "zip",
                    value = "(the ZIP's bytes; Content-Disposition: attachment; filename=\"exifq-advanced-edit.zip\")")))
    @APIResponse(responseCode = "202", description = "Still processing after the wait: the files will be in the history")
    @APIResponse(responseCode = "400", description = "A bad file or field, named; nothing counted", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = {
                    @ExampleObject(name = "bad_file", value = BAD_FILE),
                    @ExampleObject(name = "too_many_files", value = TOO_MANY),
                    @ExampleObject(name = "invalid_field", value = WriteResource.INVALID_FIELD)}))
    @APIResponse(responseCode = "403", description = "The plan does not include bulk processing", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "plan_required", value = PLAN_REQUIRED)))
    @APIResponse(responseCode = "429", description = "The files do not all fit in what is left of the daily limit; "
            + "nothing counted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "limit_reached", value = LIMIT)))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.AdvancedEditBulk.class),
            examples = @ExampleObject(name = "form", value = WriteForms.ADVANCED_BULK_EXAMPLE)))
    public Response advancedEditBulk(@RestForm("files") List<FileUpload> files, @RestForm String fields,
                                     @RestForm String mode) throws IOException {
        requireBulk();
        BulkWrites.checkCount(files);
        EditSpec.Mode m = WriteResource.mode(mode);
        List<EditSpec.TagValue> tags = AdvancedFields.parse(json, fields, writable);
        return bulk.run(user.id(), files, new EditSpec("advanced-edit", m, true, tags), "exifq-advanced-edit.zip");
    }

    @POST
    @Path("/strip-exif-bulk")
    @Operation(summary = "Remove all metadata from up to 20 images; one ZIP back",
            description = "Pro plan. files: 1 to 20 images (25 MB each); keepIcc as for strip-exif (the ICC colour "
                    + "profile stays unless keepIcc=false). Every file is checked first: one bad file fails the "
                    + "request (400 naming it) before anything is counted. Each file counts one image of the daily "
                    + "limit, all or none. The ZIP holds each stripped file under the client's file name (no "
                    + "folders; repeated names become 'a (2).jpg'); each is also in the history.")
    @APIResponse(responseCode = "200", description = "The ZIP of the stripped files (Content-Disposition: attachment)",
            content = @Content(mediaType = BulkWrites.ZIP, examples = @ExampleObject(name = "zip",
                    value = "(the ZIP's bytes; Content-Disposition: attachment; filename=\"exifq-strip-exif.zip\")")))
    @APIResponse(responseCode = "202", description = "Still processing after the wait: the files will be in the history")
    @APIResponse(responseCode = "400", description = "A bad file, named, or keepIcc not true or false; nothing counted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
                    @ExampleObject(name = "bad_file", value = BAD_FILE),
                    @ExampleObject(name = "too_many_files", value = TOO_MANY)}))
    @APIResponse(responseCode = "403", description = "The plan does not include bulk processing", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "plan_required", value = PLAN_REQUIRED)))
    @APIResponse(responseCode = "429", description = "The files do not all fit in what is left of the daily limit; "
            + "nothing counted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "limit_reached", value = LIMIT)))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.StripExifBulk.class),
            examples = @ExampleObject(name = "form", value = WriteForms.STRIP_BULK_EXAMPLE)))
    public Response stripExifBulk(@RestForm("files") List<FileUpload> files, @RestForm String keepIcc) throws IOException {
        requireBulk();
        BulkWrites.checkCount(files);
        return bulk.run(user.id(), files, WriteResource.strip(keepIcc), "exifq-strip-exif.zip");
    }

    // Another content type would be refused (415) before AuthFilter sees the request; these answer 401 first.
    @POST
    @Path("/advanced-edit-bulk")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response advancedEditBulkOther() {
        return notMultipart();
    }

    @POST
    @Path("/strip-exif-bulk")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response stripExifBulkOther() {
        return notMultipart();
    }

    private void requireBulk() {
        user.id(); // 401 without credentials
        plans.require(user.role(), user.plan(), Feature.BULK);
    }

    private Response notMultipart() {
        user.id();
        throw new ApiException(415, "unsupported_media_type",
                "Send multipart/form-data with the images as 'files' parts.");
    }
}
