package dev.exifq.accounts;

import dev.exifq.platform.ErrorBody;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: {@code Authorization: Bearer <API key or session JWT>}, or the session cookie browsers
 * send. Every /v1 and /api endpoint requires one, except those annotated {@link PublicEndpoint}; those
 * still learn the caller when valid credentials come along (sign-out needs the session it ends). Everything
 * is checked against the database on each request, so a revoked key or a signed-out session fails at once.
 * Pages (every other path) learn the caller from the cookie alone and never answer 401 here.
 *
 * <p>CSRF: a state-changing request authenticated by the session cookie (never one with a Bearer header, which
 * no other site can make a browser send) must come from our own pages ({@link SameOrigin}) and carry the
 * session's {@link CsrfTokens token} in {@code X-CSRF-Token} or, from a plain form, the {@code csrf} field.
 * Sign-in and sign-up ({@link OpensSession}) get the origin check. Refusals are 403 {@code csrf_failed}.
 */
public class AuthFilter {
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final String MISSING = "Sign in, or send your API key as 'Authorization: Bearer <key>'.";
    private static final String BAD_KEY = "The API key is invalid, expired or revoked.";
    private static final String BAD_SESSION = "The session is invalid, expired or signed out; sign in again.";
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "csrf";

    private final CurrentUser currentUser;
    private final SessionCookies cookies;
    private final CsrfTokens csrf;
    private final Credentials credentials;

    public AuthFilter(CurrentUser currentUser, SessionCookies cookies, CsrfTokens csrf, Credentials credentials) {
        this.currentUser = currentUser;
        this.cookies = cookies;
        this.csrf = csrf;
        this.credentials = credentials;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        boolean unsafe = UNSAFE.contains(request.getMethod());
        if (unsafe && opensSession(resource) && !fromOurPages(request)) {
            return Optional.of(csrfFailed(CROSS_SITE));
        }
        if (!underApi(request.getUriInfo().getPath())) {
            return page(request, http, unsafe);
        }
        boolean required = !isPublic(resource);
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        boolean fromCookie = false;
        if (token == null) {
            Cookie cookie = request.getCookies().get(cookies.name());
            if (cookie != null && cookie.getValue() != null && !cookie.getValue().isBlank()) {
                token = cookie.getValue().trim();
                fromCookie = true;
            }
        }
        if (token == null) {
            return required ? Optional.of(unauthorized(MISSING, false)) : Optional.empty();
        }
        Optional<String> denied;
        if (token.startsWith(ApiKeys.PREFIX) && !fromCookie) {
            denied = byApiKey(token);
        } else {
            denied = bySession(token);
        }
        if (denied.isPresent() && required) {
            return Optional.of(unauthorized(denied.get(), fromCookie));
        }
        if (denied.isEmpty() && fromCookie && unsafe) {
            return checkCsrf(request, http);
        }
        return Optional.empty();
    }

    private static final String CROSS_SITE = "This request came from another site's page; it was refused.";
    private static final String BAD_TOKEN = "Missing or wrong CSRF token: send the session's token as the "
            + "'" + CSRF_HEADER + "' header (GET /api/auth/csrf, or csrf_token from sign-in) or the '" + CSRF_FIELD
            + "' form field.";

    /** A page: the caller from the cookie when it is valid, nobody otherwise (the page decides what that means). */
    private Optional<Response> page(ContainerRequestContext request, HttpServerRequest http, boolean unsafe) {
        Cookie cookie = request.getCookies().get(cookies.name());
        if (cookie == null || cookie.getValue() == null || cookie.getValue().isBlank()
                || bySession(cookie.getValue().trim()).isPresent()) {
            return Optional.empty();
        }
        return unsafe ? checkCsrf(request, http) : Optional.empty();
    }

    private Optional<Response> checkCsrf(ContainerRequestContext request, HttpServerRequest http) {
        if (!fromOurPages(request)) {
            return Optional.of(csrfFailed(CROSS_SITE));
        }
        String sent = request.getHeaderString(CSRF_HEADER);
        if (sent == null && http != null) {
            sent = http.getFormAttribute(CSRF_FIELD);
        }
        return csrf.matches(currentUser.credentialId(), sent) ? Optional.empty() : Optional.of(csrfFailed(BAD_TOKEN));
    }

    private static boolean fromOurPages(ContainerRequestContext request) {
        return SameOrigin.fromOurPages(request.getHeaderString("Sec-Fetch-Site"), request.getHeaderString("Origin"),
                request.getHeaderString(HttpHeaders.HOST));
    }

    private static Response csrfFailed(String message) {
        return ErrorBody.response(403, "csrf_failed", message);
    }

    private static boolean opensSession(ResourceInfo resource) {
        return resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(OpensSession.class);
    }

    private Optional<String> byApiKey(String token) {
        Instant now = Instant.now();
        Optional<Credentials.LiveKey> found = credentials.liveKey(token, now);
        if (found.isEmpty()) {
            return Optional.of(BAD_KEY);
        }
        Credentials.LiveKey key = found.get();
        Instant staleBefore = now.minus(LAST_USED_GRANULARITY);
        if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(staleBefore)) {
            credentials.markUsed(key.id(), now, staleBefore);
        }
        currentUser.set(key.userId(), key.role(), key.plan(), CurrentUser.Via.API_KEY, key.id());
        return Optional.empty();
    }

    private Optional<String> bySession(String token) {
        if (!SessionTokens.looksLikeJwt(token)) {
            return Optional.of(token.startsWith(ApiKeys.PREFIX) ? BAD_KEY : BAD_SESSION);
        }
        Optional<Credentials.OpenSession> found = credentials.openSession(token);
        if (found.isEmpty()) {
            return Optional.of(BAD_SESSION);
        }
        Credentials.OpenSession session = found.get();
        currentUser.set(session.userId(), session.role(), session.plan(), CurrentUser.Via.SESSION, session.id());
        return Optional.empty();
    }

    private Response unauthorized(String message, boolean clearCookie) {
        Response.ResponseBuilder r = Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of("unauthorized", message, java.util.Map.of()));
        if (clearCookie) {
            r.cookie(cookies.clear()); // a stale cookie would otherwise be sent, and refused, forever
        }
        return r.build();
    }

    static boolean underApi(String path) {
        return path.equals("/v1") || path.startsWith("/v1/") || path.equals("/api") || path.startsWith("/api/");
    }

    static boolean isPublic(ResourceInfo resource) {
        return resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(PublicEndpoint.class)
                || resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(PublicEndpoint.class);
    }

    static String bearer(String header) {
        if (header == null) return null;
        String h = header.trim();
        if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
