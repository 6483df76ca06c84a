package dev.exifq.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.accounts.PublicEndpoint;
import dev.exifq.platform.ClientAddress;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Feedback and feature requests from anyone; guests leave an email so we can answer. */
@Path("/api/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Feedback")
public class FeedbackResource {
    private final FeedbackForm form;
    private final FeedbackThrottle throttle;
    private final CurrentUser user;
    private final ObjectMapper json;

    public FeedbackResource(FeedbackForm form, FeedbackThrottle throttle, CurrentUser user, ObjectMapper json) {
        this.form = form;
        this.throttle = throttle;
        this.user = user;
        this.json = json;
    }

    @POST
    @PublicEndpoint
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
    @Transactional
    @Operation(summary = "Send feedback", description = "Public. `type` is feedback (default) or feature; `message` "
            + "needs 10 to 5000 characters; `email` is required without a session or API key (signed-in users' "
            + "account email is used when they give none); `subject` (200), `name` (100) and `sourcePath` (the page "
            + "it was sent from, 500) are optional. JSON or an HTML form. At most 10 an hour from one address "
            + "(exifq.feedback.*); more get 429.")
    @RequestBody(content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FeedbackForm.Fields.class),
                    examples = @ExampleObject(name = "feature", value = """
                            {"type": "feature", "subject": "HEIC thumbnails", "message": "Could the viewer show HEIC previews?",
                             "name": "Ada", "email": "ada@example.com", "sourcePath": "/viewer"}""")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = FeedbackForm.Fields.class))})
    @APIResponse(responseCode = "201", description = "Stored", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "created", value = """
                    {"ok": true, "id": 17}""")))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid; `field` names it", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_message", value = """
            {"ok": false, "error": "invalid_message", "message": "'message' needs 10 to 5000 characters.",
             "field": "message"}""")))
    @APIResponse(responseCode = "429", description = "Too many from this address; see Retry-After", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "too_much_feedback", value = """
            {"ok": false, "error": "too_much_feedback",
             "message": "Too much feedback from this address. Try again in 1800 seconds.", "retry_after": 1800}""")))
    public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body,
                           @Context HttpServerRequest http) {
        Map<String, String> fields = contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED)
                ? formFields(body) : jsonFields(body);
        FeedbackForm.Fields valid = form.validate(fields, user.isPresent() ? user.id() : null);
        OptionalLong refused = throttle.admit(ClientAddress.of(http));
        if (refused.isPresent()) {
            throw ApiException.tooManyRequests("too_much_feedback", "Too much feedback from this address.",
                    refused.getAsLong());
        }
        long id = form.store(valid, user.isPresent() ? user.id() : null);
        return Response.status(201).entity(Map.of("ok", true, "id", id)).build();
    }

    private Map<String, String> jsonFields(String body) {
        JsonNode node = JsonBodies.object(json, body, "missing_input",
                "Send {\"type\", \"message\", \"email\", ...} as JSON or as a form.");
        Map<String, String> fields = new HashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isNull() || !FeedbackForm.FIELDS.contains(e.getKey())) {
                return;
            }
            if (!v.isValueNode()) {
                throw new ApiException(400, "invalid_" + FeedbackForm.codeOf(e.getKey()),
                        "'" + e.getKey() + "' must be a string.", Map.of("field", e.getKey()));
            }
            fields.put(e.getKey(), v.asText());
        });
        return fields;
    }

    private static Map<String, String> formFields(String body) {
        Map<String, String> fields = new HashMap<>();
        if (body == null) {
            return fields;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_form", "The form body is not valid URL encoding.");
            }
        }
        return fields;
    }
}
