package dev.exifq.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.accounts.PasswordHasher;
import dev.exifq.accounts.SessionCookies;
import dev.exifq.accounts.SignInThrottle;
import dev.exifq.accounts.User;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own data: a full export, and deleting the account. */
@Path("/api/account")
@Tag(name = "Your data")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class AccountResource {
    static final String JSONL = "application/jsonl";

    private final CurrentUser user;
    private final AccountExport export;
    private final AccountDeletion deletion;
    private final PasswordHasher passwords;
    private final SessionCookies cookies;
    private final ObjectMapper json;
    private final SignInThrottle throttle;

    public AccountResource(CurrentUser user, AccountExport export, AccountDeletion deletion, PasswordHasher passwords,
                           SessionCookies cookies, ObjectMapper json, SignInThrottle throttle) {
        this.user = user;
        this.export = export;
        this.deletion = deletion;
        this.passwords = passwords;
        this.cookies = cookies;
        this.json = json;
        this.throttle = throttle;
    }

    @GET
    @Path("/export")
    @Produces({JSONL, MediaType.APPLICATION_JSON})
    @Operation(summary = "Export your data", description = "Everything we hold about you as JSON Lines, streamed: "
            + "one `account` line, then `api_key` (masked), `session`, `usage` (per UTC day) and one `image` line per "
            + "image with the same JSON as GET /v1/images/{id}. Each line is {\"type\": T, T: {...}}.")
    @APIResponse(responseCode = "200", description = "The export, as a download", content = @Content(mediaType = JSONL,
            examples = @ExampleObject(name = "export", value = """
            {"type":"account","account":{"id":42,"email":"ada@example.com","name":"Ada","role":"user","plan":"free","created_at":"2024-02-23 15:15:30 UTC"},"exported_at":"2024-03-01 10:00:00 UTC"}
            {"type":"api_key","api_key":{"id":"01hq3v6k2m8x9y7z5w4t3s2r1q","name":"CI","masked":"exq_…abcd","created_at":"2024-02-23 15:15:30 UTC","last_used_at":null,"expires_at":null},"revoked_at":null}
            {"type":"usage","usage":{"day":"2024-02-23","images":3}}
            {"type":"image","image":{"id":"01hq3v6k2m8x9y7z5w4t3s2r1q","status":"processed","...":"..."}}""")))
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    public Response export() {
        long id = user.id();
        return Response.ok(export.of(id), JSONL)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"exifq-export-" + id + ".jsonl\"")
                .build();
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete your account", description = "Deletes the account, its API keys, sessions, images "
            + "(originals, processed files, metadata, hashes) and usage, at once and for good. Needs a signed-in "
            + "session (not an API key) and the account's password. A Stripe customer is not deleted here, only "
            + "its link to the account.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "confirm",
            value = "{\"password\": \"correct horse battery\"}")))
    @APIResponse(responseCode = "204", description = "Deleted; the session cookie is cleared")
    @APIResponse(responseCode = "400", description = "No password given, or bad JSON", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "missing_password", value = """
            {"ok": false, "error": "missing_password", "message": "Confirm with your 'password'."}""")))
    @APIResponse(responseCode = "403", description = "Called with an API key, or the wrong password", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "session_required", value = """
            {"ok": false, "error": "session_required", "message": "Sign in to delete your account; an API key cannot."}"""),
            @ExampleObject(name = "wrong_password", value = """
            {"ok": false, "error": "wrong_password", "message": "That is not the account's password."}""")}))
    @APIResponse(responseCode = "429", description = "Too many wrong passwords for this account (they count as failed "
            + "sign-ins); see Retry-After", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "too_many_attempts", value = """
            {"ok": false, "error": "too_many_attempts", "message": "Too many wrong passwords. Try again in 42 seconds.",
             "retry_after": 42}""")))
    public Response delete(String body) {
        long id = user.id();
        user.requireSession("Sign in to delete your account; an API key cannot.");
        JsonNode request = JsonBodies.object(json, body, "missing_password", "Confirm with your 'password'.");
        JsonNode password = request.get("password");
        if (password == null || !password.isTextual() || password.asText().isEmpty()) {
            throw ApiException.badRequest("missing_password", "Confirm with your 'password'.");
        }
        User account = User.findById(id);
        if (account == null) {
            throw new ApiException(403, "wrong_password", "That is not the account's password.");
        }
        // a stolen session must not make this a password oracle: wrong passwords count as failed sign-ins
        SignInThrottle.Result gate = throttle.begin(account.email, null);
        if (gate.refusal().isPresent()) {
            throw ApiException.tooManyRequests("too_many_attempts", "Too many wrong passwords.",
                    gate.refusal().get().retryAfterSeconds());
        }
        if (account.passwordHash == null || PasswordHasher.tooLong(password.asText())
                || !passwords.matches(password.asText(), account.passwordHash)) {
            throw new ApiException(403, "wrong_password", "That is not the account's password.");
        }
        throttle.succeeded(gate.attempt().orElseThrow());
        deletion.delete(new AccountDeletion.Request(id, id, false, "deleted by the account holder"));
        return Response.noContent().cookie(cookies.clear()).build();
    }
}
