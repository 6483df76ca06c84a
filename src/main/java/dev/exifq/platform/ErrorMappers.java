package dev.exifq.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to the JSON error shape; bad input is a 4xx, never a 500 or a stack trace. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response r = ErrorBody.response(e.status(), e.code(), e.getMessage(), e.extra());
        return e.retryAfterSeconds().isPresent()
                ? Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds().getAsLong()).build() : r;
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return ErrorBody.response(400, "invalid_json", "The request body is not valid JSON.");
    }

    /**
     * A JSON body whose values have the wrong type ({"email": ["a"]}). Quarkus maps this exception itself (400,
     * no body) unless an application mapper of the same type exists.
     */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = fieldPath(e);
        return ErrorBody.response(400, "invalid_json", field == null
                ? "The request body does not have the expected JSON shape."
                : "'" + field + "' has the wrong type.");
    }

    /** The multipart parser hit a body that ends early or has no valid boundary: the client's bytes, not our I/O. */
    @ServerExceptionMapper
    public Response io(java.io.IOException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().contains(".multipart.")) {
                return ErrorBody.response(400, "invalid_multipart",
                        "The multipart/form-data body is malformed or incomplete.");
            }
        }
        return unexpected(e);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e instanceof jakarta.ws.rs.NotFoundException && e.getCause() instanceof IllegalArgumentException) {
            // JAX-RS answers a query or path parameter it cannot convert (?limit=abc for an int) with a 404
            return ErrorBody.response(400, "invalid_parameter",
                    "A query or path parameter is not of its type (a whole number, say).");
        }
        if (status >= 500) {
            LOG.error("Request failed", e);
            return ErrorBody.response(status, "internal_error", "Something went wrong on our side.");
        }
        Response answer = ErrorBody.response(status, codeFor(status), messageFor(status));
        // the multipart parser stops an over-size body part-way: the rest of it is not read
        return status == 413 ? Response.fromResponse(answer).header("Connection", "close").build() : answer;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected error", e);
        return ErrorBody.response(500, "internal_error", "Something went wrong on our side.");
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "file_too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
    }

    private static String messageFor(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 401 -> "Authentication required.";
            case 403 -> "You are not allowed to do this.";
            case 404 -> "Not found.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "This endpoint answers JSON.";
            case 413 -> "The request body is too large.";
            case 415 -> "This content type is not supported here.";
            default -> Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Request failed.";
        };
    }
}
