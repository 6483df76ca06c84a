package dev.exifq.webhooks;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's webhook signing secret (docs/webhooks.md). */
@Path("/api/webhook-secret")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class WebhookSecretResource {
    private static final String EXAMPLE = """
            {"ok": true, "secret": "whsec_Q2hhbmdlIG1lIGJ5IHJvdGF0aW5nIGl0IHBsZWFzZSE"}""";
    private static final String UNREADABLE_MESSAGE = "Your webhook secret was encrypted under a server key this "
            + "server no longer has. Rotate it (POST /api/webhook-secret) to get a new one.";
    private static final String UNREADABLE = "{\"ok\": false, \"error\": \"webhook_secret_unreadable\", \"message\": \""
            + UNREADABLE_MESSAGE + "\"}";

    private static final String UNAUTHORIZED = """
            {"ok": false, "error": "unauthorized", "message": "Sign in, or send your API key as 'Authorization: \
            Bearer <key>'."}""";

    private final CurrentUser user;
    private final WebhookSecrets secrets;

    public WebhookSecretResource(CurrentUser user, WebhookSecrets secrets) {
        this.user = user;
        this.secrets = secrets;
    }

    @JsonPropertyOrder({"ok", "secret"})
    @Schema(name = "WebhookSecret")
    public record Secret(boolean ok, @Schema(description = "The HMAC-SHA256 key of X-Exifq-Signature") String secret) {}

    @GET
    @Operation(summary = "Read the webhook secret", description = "The key every callback to you is signed with "
            + "(X-Exifq-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">), created on first read.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Secret.class), examples = @ExampleObject(name = "secret", value = EXAMPLE)))
    @APIResponse(responseCode = "401", description = "No or invalid credentials", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = UNAUTHORIZED)))
    @APIResponse(responseCode = "409", description = "The stored secret cannot be read after a server key change; "
            + "rotate it", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "webhook_secret_unreadable", value = UNREADABLE)))
    public Response read() {
        try {
            return answer(secrets.current(user.id()));
        } catch (WebhookSecrets.UnreadableSecretException e) {
            throw new ApiException(409, "webhook_secret_unreadable", UNREADABLE_MESSAGE);
        }
    }

    @POST
    @Operation(summary = "Rotate the webhook secret", description = "Replaces the secret with a new one and returns "
            + "it; every delivery attempt from now on, retries of earlier events included, is signed with the new one. "
            + "Cookie sessions need the CSRF token, like every cookie POST.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Secret.class), examples = @ExampleObject(name = "secret", value = EXAMPLE)))
    @APIResponse(responseCode = "401", description = "No or invalid credentials", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = UNAUTHORIZED)))
    @APIResponse(responseCode = "403", description = "A cookie request without the CSRF token or from another site",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "csrf_failed",
            value = """
            {"ok": false, "error": "csrf_failed", "message": "Missing or wrong CSRF token: send the session's token as \
            the 'X-CSRF-Token' header (GET /api/auth/csrf, or csrf_token from sign-in) or the 'csrf' form field."}""")))
    public Response rotate() {
        return answer(secrets.rotate(user.id()));
    }

    private static Response answer(String secret) {
        return Response.ok(new Secret(true, secret)).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
