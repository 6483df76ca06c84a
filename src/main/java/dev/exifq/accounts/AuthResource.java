package dev.exifq.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import dev.exifq.platform.ErrorBody;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Email and password accounts, and the sessions (JWT plus cookie) that signing in opens. "Who am I"
 * (GET /api/auth/session) lives in billing, which adds the plan and usage to what accounts knows.
 */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
@SecurityScheme(securitySchemeName = "sessionCookie", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.COOKIE,
        apiKeyName = "exifq_session", description = "The session cookie set by sign-in; the same JWT also works "
        + "as 'Authorization: Bearer <token>'")
public class AuthResource {
    static final String SESSION_EXAMPLE = """
            {"ok": true,
             "user": {"id": 42, "email": "ada@example.com", "name": "Ada Lovelace", "role": "user", "plan": "free",
                      "created_at": "2024-02-23 15:15:30 UTC"},
             "token": "eyJraWQiOiJ...",
             "expires_at": "2024-03-01 15:15:30 UTC",
             "csrf_token": "q1Wb0n3J8yQ5m4e7Zc2xVt6hR9sPkLaD0fGuIoYw3Es"}""";
    private final Accounts accounts;
    private final Sessions sessions;
    private final SessionCookies cookies;
    private final SignInThrottle throttle;
    private final SignUpThrottle signUps;
    private final CurrentUser user;
    private final CsrfTokens csrf;

    public AuthResource(Accounts accounts, Sessions sessions, SessionCookies cookies, SignInThrottle throttle,
                        SignUpThrottle signUps, CurrentUser user, CsrfTokens csrf) {
        this.csrf = csrf;
        this.accounts = accounts;
        this.sessions = sessions;
        this.cookies = cookies;
        this.throttle = throttle;
        this.signUps = signUps;
        this.user = user;
    }

    @Schema(name = "SignUpRequest")
    public record SignUpRequest(@Schema(example = "ada@example.com", required = true) String email,
                                @Schema(example = "correct horse battery", minLength = 8, required = true) String password,
                                @Schema(example = "Ada Lovelace") String name) {}

    @Schema(name = "SignInRequest")
    public record SignInRequest(@Schema(example = "ada@example.com", required = true) String email,
                                @Schema(example = "correct horse battery", required = true) String password) {}

    @JsonPropertyOrder({"ok", "user", "token", "expires_at", "csrf_token"})
    @Schema(name = "SignedIn")
    public record SignedIn(boolean ok, UserView user,
                           @Schema(description = "The session JWT, for 'Authorization: Bearer'") String token,
                           @JsonProperty("expires_at") String expiresAt,
                           @Schema(description = "Send as 'X-CSRF-Token' on POST, PUT, PATCH and DELETE requests "
                                   + "authenticated by the session cookie (not needed with 'Authorization: Bearer')")
                           @JsonProperty("csrf_token") String csrfToken) {}

    @JsonPropertyOrder({"ok", "csrf_token"})
    @Schema(name = "CsrfToken")
    public record CsrfToken(boolean ok, @JsonProperty("csrf_token") String csrfToken) {}

    @POST
    @Path("/sign-up/email")
    @PublicEndpoint
    @OpensSession
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account", description = "Creates a user on the free plan and signs them in: "
            + "the answer carries the session JWT and sets the session cookie. Emails are trimmed and lower-cased; "
            + "passwords need at least 8 characters. At most 10 attempts an hour from one address "
            + "(exifq.auth.sign-ups.*); more get 429.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignUpRequest.class),
            examples = @ExampleObject(name = "sign-up", value = """
                    {"email": "ada@example.com", "password": "correct horse battery", "name": "Ada Lovelace"}""")))
    @APIResponse(responseCode = "201", description = "Created and signed in", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignedIn.class),
            examples = @ExampleObject(name = "created", value = SESSION_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Missing or invalid email, password shorter than 8", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "weak_password", value = """
            {"ok": false, "error": "weak_password", "message": "The password must have at least 8 characters."}""")))
    @APIResponse(responseCode = "409", description = "The email already has an account", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "email_taken", value = """
            {"ok": false, "error": "email_taken", "message": "An account with this email already exists."}""")))
    @APIResponse(responseCode = "429", description = "Too many sign-ups from this address; see Retry-After", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "too_many_sign_ups", value = """
            {"ok": false, "error": "too_many_sign_ups", "message": "Too many sign-ups from this address. Try again in 1800 seconds.",
             "retry_after": 1800}""")))
    public Response signUp(SignUpRequest body, @Context HttpServerRequest http) {
        if (body == null) {
            throw ApiException.badRequest("missing_input", "Send {\"email\", \"password\", \"name\"} as JSON.");
        }
        OptionalLong refused = signUps.admit(clientAddress(http));
        if (refused.isPresent()) {
            return tooMany("too_many_sign_ups", "Too many sign-ups from this address.", refused.getAsLong());
        }
        User created = accounts.signUp(body.email(), body.password(), body.name());
        return signedIn(201, created, http);
    }

    @POST
    @Path("/sign-in/email")
    @PublicEndpoint
    @OpensSession
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in", description = "Checks the email and password and opens a session: the JWT "
            + "comes back as `token` (send it as 'Authorization: Bearer <token>') and as an HttpOnly, SameSite=Lax "
            + "cookie for browsers. After 10 failed sign-ins in a minute for one email, or from one address, "
            + "further attempts get 429 until the minute has passed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignInRequest.class),
            examples = @ExampleObject(name = "sign-in", value = """
                    {"email": "ada@example.com", "password": "correct horse battery"}""")))
    @APIResponse(responseCode = "200", description = "Signed in", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignedIn.class),
            examples = @ExampleObject(name = "signed-in", value = SESSION_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Email or password missing", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "missing_credentials", value = """
            {"ok": false, "error": "missing_credentials", "message": "Give an 'email' and a 'password'."}""")))
    @APIResponse(responseCode = "401", description = "Wrong email or password", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_credentials", value = """
            {"ok": false, "error": "invalid_credentials", "message": "Wrong email or password."}""")))
    @APIResponse(responseCode = "429", description = "Too many failed sign-ins; see Retry-After", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "too_many_attempts", value = """
            {"ok": false, "error": "too_many_attempts", "message": "Too many failed sign-ins. Try again in 42 seconds.",
             "retry_after": 42}""")))
    public Response signIn(SignInRequest body, @Context HttpServerRequest http) {
        String email = body == null ? null : User.normaliseEmail(body.email());
        if (email == null || email.isEmpty() || body.password() == null || body.password().isEmpty()) {
            throw ApiException.badRequest("missing_credentials", "Give an 'email' and a 'password'.");
        }
        SignInThrottle.Result gate = throttle.begin(email, clientAddress(http));
        if (gate.refusal().isPresent()) {
            return tooMany("too_many_attempts", "Too many failed sign-ins.", gate.refusal().get().retryAfterSeconds());
        }
        User signedIn = accounts.authenticate(email, body.password())
                .orElseThrow(() -> new ApiException(401, "invalid_credentials", "Wrong email or password."));
        throttle.succeeded(gate.attempt().orElseThrow());
        return signedIn(200, signedIn, http);
    }

    @POST
    @Path("/sign-out")
    @PublicEndpoint
    @Operation(summary = "Sign out", description = "Ends the session the request carries (bearer JWT or cookie): "
            + "its token is refused from the next request on. Clears the cookie. Idempotent: without a valid "
            + "session it still answers 200.")
    @APIResponse(responseCode = "200", description = "Signed out", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "signed-out", value = """
            {"ok": true}""")))
    public Response signOut() {
        if (user.isPresent() && user.via() == CurrentUser.Via.SESSION) {
            sessions.revoke(user.credentialId());
        }
        return Response.ok(Map.of("ok", true)).cookie(cookies.clear()).build();
    }

    @GET
    @Path("/csrf")
    @SecurityRequirement(name = "sessionCookie")
    @Operation(summary = "The session's CSRF token", description = "For programs that use the session cookie: "
            + "every POST, PUT, PATCH and DELETE they send with the cookie must carry this token as the "
            + "'X-CSRF-Token' header (plain HTML forms: the 'csrf' field), and browsers must send it from our own "
            + "pages (Origin, Sec-Fetch-Site); otherwise 403 csrf_failed. Requests with 'Authorization: Bearer' "
            + "need no token. Sign-in returns the same token as csrf_token.")
    @APIResponse(responseCode = "200", description = "The token of the calling session", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CsrfToken.class),
            examples = @ExampleObject(name = "token", value = """
            {"ok": true, "csrf_token": "q1Wb0n3J8yQ5m4e7Zc2xVt6hR9sPkLaD0fGuIoYw3Es"}""")))
    @APIResponse(responseCode = "403", description = "Called with an API key, which has no session", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "session_required", value = """
            {"ok": false, "error": "session_required", "message": "API keys need no CSRF token; only sessions have one."}""")))
    public CsrfToken csrfToken() {
        user.requireSession("API keys need no CSRF token; only sessions have one.");
        return new CsrfToken(true, csrf.forSession(user.credentialId()));
    }

    private Response signedIn(int status, User u, HttpServerRequest http) {
        Sessions.Opened opened = sessions.open(u, clientAddress(http), http == null ? null : http.getHeader(HttpHeaders.USER_AGENT));
        SignedIn body = new SignedIn(true, UserView.of(u), opened.token(), ApiTime.format(opened.session().expiresAt),
                csrf.forSession(opened.session().id));
        return Response.status(status).entity(body).cookie(cookies.issue(opened.token(), opened.session().expiresAt)).build();
    }

    private static Response tooMany(String code, String what, long wait) {
        return Response.status(429).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", wait)
                .entity(ErrorBody.of(code, what + " Try again in " + wait + " seconds.", Map.of("retry_after", wait)))
                .build();
    }

    /** The caller's address; behind a proxy, set quarkus.http.proxy.* so this is the client's, not the proxy's. */
    static String clientAddress(HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }
}
