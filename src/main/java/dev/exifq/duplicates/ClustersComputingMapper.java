package dev.exifq.duplicates;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** 202 with Retry-After: not an error, the answer is on its way. */
public class ClustersComputingMapper {
    @ServerExceptionMapper
    public Response computing(ClustersComputingException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("status", "computing");
        body.put("message", e.getMessage());
        body.put("retry_after", ClustersComputingException.RETRY_AFTER_SECONDS);
        return Response.status(Response.Status.ACCEPTED)
                .header("Retry-After", ClustersComputingException.RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }
}
