package dev.exifq.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import dev.exifq.platform.Ulid;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The caller's own API keys. Others' keys are invisible: their ids answer 404, like unknown ones. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class ApiKeyResource {
    private static final int MAX_NAME = 100;
    private static final int MAX_EXPIRY_DAYS = 3650;
    private static final String NOT_FOUND = "No API key with this id.";

    private final CurrentUser user;
    private final ApiKeyPolicy policy;
    private final AuthSettings settings;
    private final EntityManager em;

    public ApiKeyResource(CurrentUser user, ApiKeyPolicy policy, AuthSettings settings, EntityManager em) {
        this.user = user;
        this.policy = policy;
        this.settings = settings;
        this.em = em;
    }

    @Schema(name = "CreateApiKeyRequest")
    public record CreateRequest(@Schema(example = "CI uploader", maxLength = MAX_NAME) String name,
                                @JsonProperty("expires_in_days") @Schema(description = "Optional; no expiry when absent",
                                        example = "90", minimum = "1", maximum = "3650") Integer expiresInDays) {}

    @JsonPropertyOrder({"ok", "id", "name", "key", "masked", "created_at", "expires_at"})
    @Schema(name = "CreatedApiKey")
    public record Created(boolean ok, String id, String name,
                          @Schema(description = "The key itself. Shown once: only a hash is stored.") String key,
                          String masked,
                          @JsonProperty("created_at") String createdAt,
                          @JsonProperty("expires_at") String expiresAt) {}

    @JsonPropertyOrder({"ok", "keys"})
    @Schema(name = "ApiKeyList")
    public record KeyList(boolean ok, List<ApiKeyView> keys) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Create an API key", description = "Pro plan only. Returns the key once, prefixed `exq_`; "
            + "only its hash is kept. At most 5 live keys per user.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreateRequest.class),
            examples = @ExampleObject(name = "create", value = """
                    {"name": "CI uploader"}""")))
    @APIResponse(responseCode = "201", description = "Created; copy the key now", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Created.class),
            examples = @ExampleObject(name = "created", value = """
            {"ok": true, "id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "name": "CI uploader",
             "key": "exq_3q2-7wEXAMPLEexampleEXAMPLEexample0abcd", "masked": "exq_…abcd",
             "created_at": "2024-02-23 15:15:30 UTC", "expires_at": null}""")))
    @APIResponse(responseCode = "400", description = "Already 5 live keys, or a bad name", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "too_many_keys", value = """
            {"ok": false, "error": "too_many_keys",
             "message": "You already have 5 API keys, the most allowed. Revoke one to create another."}""")))
    @APIResponse(responseCode = "403", description = "The plan has no API keys", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "plan_required", value = """
            {"ok": false, "error": "plan_required", "message": "The Pro plan is required for API keys.",
             "upgradeUrl": "/pricing"}""")))
    public Response create(CreateRequest body) {
        policy.checkMayCreate(user);
        String name = body == null || body.name() == null || body.name().isBlank() ? "API key" : body.name().strip();
        if (name.length() > MAX_NAME) {
            throw ApiException.badRequest("invalid_name", "The name must be at most " + MAX_NAME + " characters.");
        }
        Integer days = body == null ? null : body.expiresInDays();
        if (days != null && (days < 1 || days > MAX_EXPIRY_DAYS)) {
            throw ApiException.badRequest("invalid_expires_in_days",
                    "'expires_in_days' must be between 1 and " + MAX_EXPIRY_DAYS + ".");
        }
        long userId = user.id();
        // the user's row lock serialises concurrent creations, so the cap holds under any concurrency
        em.createNativeQuery("select id from users where id = :id for update").setParameter("id", userId).getResultList();
        long live = ApiKey.count("userId = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2)",
                userId, Instant.now());
        int max = settings.maxApiKeys();
        if (live >= max) {
            throw ApiException.badRequest("too_many_keys",
                    "You already have " + max + " API keys, the most allowed. Revoke one to create another.");
        }
        String raw = ApiKeys.generate();
        ApiKey key = new ApiKey();
        key.id = Ulid.next();
        key.userId = userId;
        key.name = name;
        key.keyHash = ApiKeys.hash(raw);
        key.last4 = ApiKeys.last4(raw);
        key.createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        key.expiresAt = days == null ? null : key.createdAt.plus(Duration.ofDays(days));
        key.persist();
        return Response.status(201).entity(new Created(true, key.id, key.name, raw, key.masked(),
                ApiTime.format(key.createdAt), ApiTime.format(key.expiresAt))).build();
    }

    @GET
    @Operation(summary = "List API keys", description = "The caller's live keys, newest first, masked: the key "
            + "itself is never shown again.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = KeyList.class), examples = @ExampleObject(name = "keys", value = """
            {"ok": true, "keys": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "name": "CI uploader", "masked": "exq_…abcd",
                                   "created_at": "2024-02-23 15:15:30 UTC", "last_used_at": "2024-02-24 08:01:00 UTC",
                                   "expires_at": null}]}""")))
    @APIResponse(responseCode = "401", description = "No or invalid credentials", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = """
            {"ok": false, "error": "unauthorized", "message": "Authentication required."}""")))
    public KeyList list() {
        List<ApiKey> keys = ApiKey.list(
                "userId = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2) order by createdAt desc, id desc",
                user.id(), Instant.now());
        return new KeyList(true, keys.stream().map(ApiKeyView::of).toList());
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Revoke an API key", description = "Takes effect on the next request made with it. "
            + "Only the owner can revoke a key; any other id answers 404.")
    @APIResponse(responseCode = "200", description = "Revoked", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "revoked", value = """
                    {"ok": true, "id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "revoked": true}""")))
    @APIResponse(responseCode = "404", description = "Unknown id, already revoked, or not yours", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = """
            {"ok": false, "error": "not_found", "message": "No API key with this id."}""")))
    public Map<String, Object> revoke(@PathParam("id") String id) {
        String normalised = id == null ? "" : id.toLowerCase(Locale.ROOT);
        if (!Ulid.isValid(normalised)) {
            throw ApiException.notFound(NOT_FOUND);
        }
        int revoked = em.createNativeQuery(
                        "update api_keys set revoked_at = now() where id = :id and user_id = :user and revoked_at is null")
                .setParameter("id", normalised)
                .setParameter("user", user.id())
                .executeUpdate();
        if (revoked == 0) {
            throw ApiException.notFound(NOT_FOUND);
        }
        return Map.of("ok", true, "id", normalised, "revoked", true);
    }
}
