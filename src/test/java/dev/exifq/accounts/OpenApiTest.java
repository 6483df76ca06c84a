package dev.exifq.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every accounts, billing and webhook-secret endpoint is documented, with examples of its answers and request bodies. */
@QuarkusTest
class OpenApiTest {
    private static final List<String> OPERATIONS = List.of(
            "post /api/auth/sign-up/email", "post /api/auth/sign-in/email", "post /api/auth/sign-out",
            "get /api/auth/session", "get /api/auth/csrf", "post /api/keys", "get /api/keys", "delete /api/keys/{id}",
            "get /api/billing/status", "get /api/admin/users",
            "get /api/webhook-secret", "post /api/webhook-secret");

    @Test
    void everyEndpointHasExamples() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(RestAssured.given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<String> problems = new ArrayList<>();
        for (String op : OPERATIONS) {
            String[] parts = op.split(" ");
            JsonNode operation = doc.path("paths").path(parts[1]).path(parts[0]);
            if (operation.isMissingNode()) {
                problems.add(op + ": missing");
                continue;
            }
            if (operation.path("summary").asText().isBlank()) {
                problems.add(op + ": no summary");
            }
            Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
            if (!responses.hasNext()) {
                problems.add(op + ": no responses");
            }
            while (responses.hasNext()) {
                Map.Entry<String, JsonNode> r = responses.next();
                if (!hasExample(r.getValue())) {
                    problems.add(op + " " + r.getKey() + ": no example");
                }
            }
            if (operation.has("requestBody") && !hasExample(operation.get("requestBody"))) {
                problems.add(op + " request: no example");
            }
        }
        assertEquals(List.of(), problems);
        // the dashboard's pages (dev.exifq.web) stay out, while dev.exifq.webhooks, which that name prefixes, is in
        List<String> notApi = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(p -> {
            if (!p.startsWith("/v1/") && !p.startsWith("/api/")) {
                notApi.add(p);
            }
        });
        assertEquals(List.of(), notApi);
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertTrue(schemes.has("apiKey") && schemes.has("sessionCookie"), schemes.toString());
    }

    private static boolean hasExample(JsonNode node) {
        JsonNode content = node.path("content");
        Iterator<JsonNode> media = content.elements();
        while (media.hasNext()) {
            JsonNode m = media.next();
            if (m.path("examples").size() > 0 || m.has("example")) {
                return true;
            }
        }
        return false;
    }
}
