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
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every /v1 and /api operation the OpenAPI document lists is called without credentials: exactly the documented
 * public ones (annotated {@link PublicEndpoint}) answer something other than 401. A new endpoint that forgets
 * to require a caller, or a public one that is not documented as such, fails here.
 */
@QuarkusTest
class PublicEndpointsTest {
    /** The public operations README, docs/accounts.md and docs/billing.md name. */
    private static final Set<String> PUBLIC = Set.of(
            "post /api/auth/sign-up/email", "post /api/auth/sign-in/email", "post /api/auth/sign-out",
            "post /api/billing/webhook", "post /api/feedback", "post /api/images/view-exif");

    @Test
    void onlyTheDocumentedEndpointsAnswerWithoutCredentials() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(RestAssured.given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        Set<String> open = new TreeSet<>();
        List<String> checked = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (!p.getKey().startsWith("/v1") && !p.getKey().startsWith("/api")) continue;
            String concrete = p.getKey().replaceAll("\\{[^}]+}", "01hq3v6k2m8x9y7z5w4t3s2r1q");
            Iterator<String> methods = p.getValue().fieldNames();
            while (methods.hasNext()) {
                String method = methods.next();
                if (!Set.of("get", "post", "put", "patch", "delete").contains(method)) continue;
                int status = RestAssured.given().contentType("application/json").body("{}")
                        .request(method.toUpperCase(), concrete).then().extract().statusCode();
                String op = method + " " + p.getKey();
                checked.add(op);
                if (status != 401) open.add(op);
            }
        }
        assertTrue(checked.size() > 10, "the OpenAPI document lists the API: " + checked);
        assertEquals(new TreeSet<>(PUBLIC), open);
    }
}
