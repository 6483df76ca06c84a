package dev.exifq.writes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.CurrentUser;
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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The EXIF-tools-compatible write endpoints: each takes one image ({@code file}, multipart), writes it through
 * the image pipeline and answers with the processed file as an attachment.
 */
@Path("/api/images")
@Produces({"image/*", MediaType.APPLICATION_JSON})
@Consumes(MediaType.MULTIPART_FORM_DATA)
@Tag(name = "Writing metadata")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
// answers every write endpoint can give, whatever its fields
@APIResponse(responseCode = "202", description = "Not done within the sync timeout; the file comes to the history",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "processing",
                value = WriteResource.STILL_PROCESSING)))
@APIResponse(responseCode = "413", description = "The file is over 25 MB", content = @Content(
        mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "file_too_large", value = """
        {"ok": false, "error": "file_too_large", "message": "The file is larger than 25 MB."}""")))
@APIResponse(responseCode = "422", description = "ExifTool could not write the file (write_failed) or gave up on it "
        + "(metadata_timeout); not counted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
        examples = @ExampleObject(name = "write_failed", value = WriteResource.WRITE_FAILED)))
public class WriteResource {
    static final String INVALID_FIELD = """
            {"ok": false, "error": "invalid_field", "message": "'Flurb': 'Flurb' is not a tag ExifTool can write.", "field": "Flurb"}""";
    static final String NOT_WRITABLE = """
            {"ok": false, "error": "format_not_writable", "message": "This file format cannot be written: Can't write BMP files."}""";
    static final String WRITE_FAILED = """
            {"ok": false, "error": "write_failed", "message": "The file could not be written: Corrupted JPEG image"}""";
    static final String STILL_PROCESSING = """
            {"ok": true, "id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "status": "processing",
             "message": "Still processing; the file will be in your history when done.",
             "statusUrl": "/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q"}""";

    private final WriteRunner runner;
    private final CurrentUser user;
    private final WritableTags writable;
    private final ObjectMapper json;

    public WriteResource(WriteRunner runner, CurrentUser user, WritableTags writable, ObjectMapper json) {
        this.runner = runner;
        this.user = user;
        this.writable = writable;
        this.json = json;
    }

    @POST
    @Path("/edit-exif")
    @Operation(summary = "Write title, description, author, keywords, copyright and licensing fields",
            description = "Each field goes to its EXIF, IPTC and XMP tags (README, 'Writing metadata'). mode=append "
                    + "(default) keeps other metadata; overwrite removes it first (the ICC profile stays).")
    @APIResponse(responseCode = "200", description = "The edited file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "400", description = "A bad field, named", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_mode", value = """
            {"ok": false, "error": "invalid_mode", "message": "'mode' must be append or overwrite."}""")))
    @APIResponse(responseCode = "415", description = "A format ExifTool cannot write", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "format_not_writable", value = NOT_WRITABLE)))
    @APIResponse(responseCode = "429", description = "The plan's daily limit is reached")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.EditExif.class),
            examples = @ExampleObject(name = "form", value = WriteForms.EDIT_EXAMPLE)))
    public Response editExif(@RestForm("file") List<FileUpload> file, @RestForm String mode,
                             @RestForm String title, @RestForm String description, @RestForm String author,
                             @RestForm String keywords, @RestForm String copyright, @RestForm String creditLine,
                             @RestForm String source, @RestForm String webStatementUrl, @RestForm String licensorName,
                             @RestForm String licensorUrl, @RestForm String usageTerms, @RestForm String creatorUrl,
                             @RestForm String creatorEmail, @RestForm String digitalSourceType) throws IOException {
        FileUpload upload = WriteRunner.single(file);
        Map<String, String> fields = new HashMap<>();
        fields.put("title", title);
        fields.put("description", description);
        fields.put("author", author);
        fields.put("keywords", keywords);
        fields.put("copyright", copyright);
        fields.put("creditLine", creditLine);
        fields.put("source", source);
        fields.put("webStatementUrl", webStatementUrl);
        fields.put("licensorName", licensorName);
        fields.put("licensorUrl", licensorUrl);
        fields.put("usageTerms", usageTerms);
        fields.put("creatorUrl", creatorUrl);
        fields.put("creatorEmail", creatorEmail);
        fields.put("digitalSourceType", digitalSourceType);
        EditSpec.Mode m = mode(mode);
        List<EditSpec.TagValue> tags = EditExifFields.tags(fields);
        if (tags.isEmpty() && m == EditSpec.Mode.APPEND) {
            throw ApiException.badRequest("missing_fields", "Give at least one field to write, e.g. 'title'.");
        }
        return runner.run(user.id(), upload, new EditSpec("edit-exif", m, true, tags));
    }

    @POST
    @Path("/advanced-edit")
    @Operation(summary = "Write any writable ExifTool tags",
            description = "fields: a JSON object of tag names (Name, Group:Name or Group.Name) to strings, numbers, "
                    + "arrays (list tags) or null (delete). Numeric GPSLatitude/GPSLongitude/GPSAltitude are signed and "
                    + "get their reference tags. File-system tags (FileName, Directory, ...) are refused.")
    @APIResponse(responseCode = "200", description = "The edited file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "400", description = "An unknown, read-only or refused tag or value, named; nothing "
            + "is written or counted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "invalid_field", value = INVALID_FIELD)))
    @APIResponse(responseCode = "415", description = "A format ExifTool cannot write", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "format_not_writable", value = NOT_WRITABLE)))
    @APIResponse(responseCode = "429", description = "The plan's daily limit is reached")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.AdvancedEdit.class),
            examples = @ExampleObject(name = "form", value = WriteForms.ADVANCED_EXAMPLE)))
    public Response advancedEdit(@RestForm("file") List<FileUpload> file, @RestForm String fields,
                                 @RestForm String mode) throws IOException {
        FileUpload upload = WriteRunner.single(file);
        EditSpec.Mode m = mode(mode);
        List<EditSpec.TagValue> tags = AdvancedFields.parse(json, fields, writable);
        return runner.run(user.id(), upload, new EditSpec("advanced-edit", m, true, tags));
    }

    @POST
    @Path("/strip-exif")
    @Operation(summary = "Remove all metadata",
            description = "EXIF, XMP, IPTC, GPS, maker notes, comments and thumbnails; the ICC colour profile stays "
                    + "unless keepIcc=false. The pixels are not re-encoded.")
    @APIResponse(responseCode = "200", description = "The stripped file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "400", description = "keepIcc is not true or false")
    @APIResponse(responseCode = "415", description = "A format ExifTool cannot write", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "format_not_writable", value = NOT_WRITABLE)))
    @APIResponse(responseCode = "429", description = "The plan's daily limit is reached")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.StripExif.class),
            examples = @ExampleObject(name = "form", value = WriteForms.STRIP_EXAMPLE)))
    public Response stripExif(@RestForm("file") List<FileUpload> file, @RestForm String keepIcc) throws IOException {
        FileUpload upload = WriteRunner.single(file);
        return runner.run(user.id(), upload, strip(keepIcc));
    }

    @POST
    @Path("/geo-exif")
    @Operation(summary = "Write a GPS position",
            description = "latitude (-90..90), longitude (-180..180), signed decimal degrees; optional altitude in "
                    + "metres (negative: below sea level). Writes GPSLatitude/Ref, GPSLongitude/Ref, GPSAltitude/Ref.")
    @APIResponse(responseCode = "200", description = "The edited file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "400", description = "A missing or out-of-range coordinate, named", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_latitude", value = """
            {"ok": false, "error": "invalid_latitude", "message": "'latitude' must be between -90 and 90."}""")))
    @APIResponse(responseCode = "415", description = "A format ExifTool cannot write")
    @APIResponse(responseCode = "429", description = "The plan's daily limit is reached")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.GeoExif.class),
            examples = @ExampleObject(name = "form", value = WriteForms.GEO_EXAMPLE)))
    public Response geoExif(@RestForm("file") List<FileUpload> file, @RestForm String latitude,
                            @RestForm String longitude, @RestForm String altitude) throws IOException {
        FileUpload upload = WriteRunner.single(file);
        List<EditSpec.TagValue> tags = new ArrayList<>();
        tags.addAll(GpsTags.latitude("latitude", GpsTags.parse("latitude", latitude, true)));
        tags.addAll(GpsTags.longitude("longitude", GpsTags.parse("longitude", longitude, true)));
        BigDecimal alt = GpsTags.parse("altitude", altitude, false);
        if (alt != null) {
            tags.addAll(GpsTags.altitude("altitude", alt));
        }
        return runner.run(user.id(), upload, new EditSpec("geo-exif", EditSpec.Mode.APPEND, true, tags));
    }

    @POST
    @Path("/seo-exif")
    @dev.exifq.accounts.AdminOnly
    @Operation(summary = "Admin: write SEO fields (creator, title, description, place, keywords, category, URL)",
            description = "All of name, title, description, destination, city, keywords (comma-separated), category "
                    + "and url are required; each goes to its XMP, IPTC and EXIF tags (README, 'Writing metadata'). "
                    + "webFileName (optional) names the download: folders and control characters are removed and the "
                    + "extension is the processed file's type's.")
    @APIResponse(responseCode = "200", description = "The edited file (Content-Disposition: attachment)",
            content = @Content(mediaType = "image/jpeg", examples = @ExampleObject(name = "file",
                    value = "(the JPEG's bytes; Content-Disposition: attachment; filename=\"sunset-zurich.jpg\")")))
    @APIResponse(responseCode = "400", description = "A missing or bad field, named", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "missing_city", value = """
            {"ok": false, "error": "missing_city", "message": "'city' is required."}""")))
    @APIResponse(responseCode = "403", description = "Not an admin", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "forbidden", value = AdminFilesResource.FORBIDDEN)))
    @APIResponse(responseCode = "415", description = "A format ExifTool cannot write", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "format_not_writable", value = NOT_WRITABLE)))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.SeoExif.class),
            examples = @ExampleObject(name = "form", value = WriteForms.SEO_EXAMPLE)))
    public Response seoExif(@RestForm("file") List<FileUpload> file, @RestForm String name, @RestForm String title,
                            @RestForm String description, @RestForm String destination, @RestForm String city,
                            @RestForm String keywords, @RestForm String category, @RestForm String url,
                            @RestForm String webFileName) throws IOException {
        FileUpload upload = WriteRunner.single(file);
        Map<String, String> fields = new HashMap<>();
        fields.put("name", name);
        fields.put("title", title);
        fields.put("description", description);
        fields.put("destination", destination);
        fields.put("city", city);
        fields.put("keywords", keywords);
        fields.put("category", category);
        fields.put("url", url);
        List<EditSpec.TagValue> tags = SeoExifFields.tags(fields);
        return runner.run(user.id(), upload, new EditSpec("seo-exif", EditSpec.Mode.APPEND, true, tags),
                (contentType, uploadName) -> SeoExifFields.webFileName(webFileName, contentType, uploadName));
    }

    // Another content type would be refused (415) before AuthFilter sees the request; these answer 401 first.
    @POST
    @Path("/edit-exif")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response editExifOther() {
        return notMultipart();
    }

    @POST
    @Path("/advanced-edit")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response advancedEditOther() {
        return notMultipart();
    }

    @POST
    @Path("/strip-exif")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response stripExifOther() {
        return notMultipart();
    }

    @POST
    @Path("/geo-exif")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response geoExifOther() {
        return notMultipart();
    }

    @POST
    @Path("/seo-exif")
    @dev.exifq.accounts.AdminOnly
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Response seoExifOther() {
        return notMultipart();
    }

    private Response notMultipart() {
        user.id(); // 401 without credentials
        throw new ApiException(415, "unsupported_media_type",
                "Send multipart/form-data with the image as 'file'.");
    }

    static EditSpec strip(String keepIcc) {
        boolean keep = keepIcc == null || keepIcc.isBlank() || switch (keepIcc.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest("invalid_keepIcc", "'keepIcc' must be true or false.");
        };
        return new EditSpec("strip-exif", EditSpec.Mode.STRIP, keep, List.of());
    }

    static EditSpec.Mode mode(String mode) {
        if (mode == null || mode.isBlank()) {
            return EditSpec.Mode.APPEND;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "append" -> EditSpec.Mode.APPEND;
            case "overwrite" -> EditSpec.Mode.OVERWRITE;
            default -> throw ApiException.badRequest("invalid_mode", "'mode' must be append or overwrite.");
        };
    }
}
