package dev.exifq.accounts;

import dev.exifq.platform.ErrorBody;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Requires {@code Authorization: Bearer <api key>} on every /v1 endpoint. */
public class AuthFilter {
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final CurrentUser currentUser;

    public AuthFilter(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!requiresAuth(path)) {
            return Optional.empty();
        }
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return Optional.of(ErrorBody.response(401, "unauthorized",
                    "Send your API key as 'Authorization: Bearer <key>'."));
        }
        Optional<Response> denied = QuarkusTransaction.requiringNew().call(() -> byApiKey(token));
        return denied;
    }

    private Optional<Response> byApiKey(String token) {
        ApiKey key = ApiKey.find("keyHash", ApiKeys.hash(token)).firstResult();
        if (key == null || key.revokedAt != null) {
            return Optional.of(ErrorBody.response(401, "unauthorized", "The API key is invalid or revoked."));
        }
        User user = User.findById(key.userId);
        if (user == null) {
            return Optional.of(ErrorBody.response(401, "unauthorized", "The API key is invalid or revoked."));
        }
        Instant now = Instant.now();
        if (key.lastUsedAt == null || key.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
            key.lastUsedAt = now;
        }
        currentUser.set(user.id, user.role, user.plan);
        return Optional.empty();
    }

    static boolean requiresAuth(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    static String bearer(String header) {
        if (header == null) return null;
        String h = header.trim();
        if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
