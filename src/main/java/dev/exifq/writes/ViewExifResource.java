package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exifq.accounts.PublicEndpoint;
import dev.exifq.images.IngestSettings;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.metadata.ExifToolResult;
import dev.exifq.metadata.ExifToolTask;
import dev.exifq.platform.ClientAddress;
import dev.exifq.platform.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads an uploaded image's metadata and forgets the file: no job, no row (nothing is kept), ExifTool's pool
 * directly. Public, so rate-limited per client address.
 */
@Path("/api/images/view-exif")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Writing metadata")
public class ViewExifResource {
    /** File-system facts of our server's copy, not of the image. */
    private static final Set<String> SERVER_TAGS = Set.of("SourceFile", "ExifToolVersion", "FileName", "Directory",
            "FilePermissions", "FileModifyDate", "FileAccessDate", "FileInodeChangeDate", "FileCreateDate",
            "FileAttributes", "Error", "Warning");

    private final ExifToolPool pool;
    private final ViewExifThrottle throttle;
    private final IngestSettings settings;
    private final ObjectMapper json;

    public ViewExifResource(ExifToolPool pool, ViewExifThrottle throttle, IngestSettings settings, ObjectMapper json) {
        this.pool = pool;
        this.throttle = throttle;
        this.settings = settings;
        this.json = json;
    }

    @POST
    @PublicEndpoint
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Read an image's metadata (public, nothing kept)",
            description = "Flat tag -> value (ExifTool's text; GPS as signed decimal degrees, S and W negative) and "
                    + "gps {lat, lng} or null. Rate-limited per client address.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "view", value = """
                    {"ok": true, "metadata": {"Make": "Canon", "Model": "Canon EOS 40D", "ExposureTime": "1/250",
                     "GPSLatitude": 48.8566, "GPSLongitude": 2.3522}, "gps": {"lat": 48.8566, "lng": 2.3522}}""")))
    @APIResponse(responseCode = "400", description = "No file")
    @APIResponse(responseCode = "413", description = "Larger than 25 MB")
    @APIResponse(responseCode = "415", description = "Not a file ExifTool can read")
    @APIResponse(responseCode = "429", description = "Too many calls from this address; see Retry-After",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rate_limited",
                    value = "{\"ok\": false, \"error\": \"rate_limited\", \"message\": \"Too many requests from this address. Try again in 12 seconds.\", \"retry_after\": 12}")))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = WriteForms.ViewExif.class),
            examples = @ExampleObject(name = "form", value = WriteForms.VIEW_EXAMPLE)))
    public ObjectNode view(@RestForm("file") List<FileUpload> file, @Context HttpServerRequest http) throws IOException {
        FileUpload upload = WriteRunner.single(file);
        OptionalLong wait = throttle.admit(ClientAddress.of(http));
        if (wait.isPresent()) {
            throw ApiException.tooManyRequests("rate_limited", "Too many requests from this address.", wait.getAsLong());
        }
        if (upload.size() > settings.maxBytes()) {
            throw new ApiException(413, "file_too_large", "The file is larger than "
                    + (settings.maxBytes() / (1024 * 1024)) + " MB.");
        }
        if (upload.size() == 0) {
            throw ApiException.badRequest("empty_file", "The uploaded file is empty.");
        }
        ExifToolResult r = pool.execute(ExifToolTask.builder().option("-json").option("-c", "%+.8f")
                .file(upload.uploadedFile().toAbsolutePath()).build());
        JsonNode out = json.readTree(r.stdout());
        if (!(out instanceof ArrayNode a) || a.size() != 1 || !(a.get(0) instanceof ObjectNode tags)) {
            throw new ApiException(415, "not_an_image", "The file could not be read.");
        }
        if (tags.has("Error") || !tags.path("MIMEType").asText("").startsWith("image/")) {
            throw new ApiException(415, "not_an_image", "The uploaded file is not an image ExifTool can read.");
        }
        tags.remove(SERVER_TAGS);
        JsonNode lat = signed(tags, "GPSLatitude");
        JsonNode lng = signed(tags, "GPSLongitude");
        ObjectNode body = json.createObjectNode();
        body.put("ok", true);
        body.set("metadata", tags);
        if (lat != null && lng != null) {
            ObjectNode gps = body.putObject("gps");
            gps.set("lat", lat);
            gps.set("lng", lng);
        } else {
            body.putNull("gps");
        }
        return body;
    }

    /** ExifTool prints '+48.85660000' (a string) for positive coordinates under -c %+.8f; make it a number. */
    private JsonNode signed(ObjectNode tags, String name) {
        JsonNode v = tags.get(name);
        if (v == null) return null;
        if (v.isNumber()) return v;
        try {
            BigDecimal d = new BigDecimal(v.asText().strip()).stripTrailingZeros();
            tags.put(name, d);
            return tags.get(name);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
