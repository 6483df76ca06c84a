package dev.exifq.platform;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON shape of every error: {"ok": false, "error": code, "message": text, ...extra}. */
public final class ErrorBody {
    private ErrorBody() {}

    public static Map<String, Object> of(String code, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("error", code);
        body.put("message", message);
        body.putAll(extra);
        return body;
    }

    public static Response response(int status, String code, String message) {
        return response(status, code, message, Map.of());
    }

    public static Response response(int status, String code, String message, Map<String, Object> extra) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(of(code, message, extra)).build();
    }

    /** The same shape written straight to Vert.x, for routes that answer before RESTEasy runs. */
    public static io.vertx.core.Future<Void> send(HttpServerResponse response, int status, String code, String message) {
        return response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .end(Json.encode(of(code, message, Map.of())));
    }
}
