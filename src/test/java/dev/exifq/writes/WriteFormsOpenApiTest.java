package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every multipart write endpoint documents its request body in /q/openapi: a schema with exactly the form fields
 * the endpoint reads (its {@code @RestForm} parameters, found by reflection), each described, the required ones
 * marked, and an example of the whole form.
 */
@QuarkusTest
class WriteFormsOpenApiTest {

    /** Path to the form fields its endpoint reads, for every multipart POST of the write resources. */
    static Map<String, Set<String>> formFieldsByPath() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Class<?> resource : List.of(WriteResource.class, BulkWriteResource.class, ViewExifResource.class)) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            Consumes classConsumes = resource.getAnnotation(Consumes.class);
            for (Method m : resource.getDeclaredMethods()) {
                Consumes consumes = m.getAnnotation(Consumes.class) != null ? m.getAnnotation(Consumes.class) : classConsumes;
                if (m.getAnnotation(POST.class) == null || consumes == null
                        || !List.of(consumes.value()).contains(MediaType.MULTIPART_FORM_DATA)) {
                    continue;
                }
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                Set<String> fields = new TreeSet<>();
                for (Parameter p : m.getParameters()) {
                    RestForm form = p.getAnnotation(RestForm.class);
                    if (form != null) {
                        fields.add(form.value().isEmpty() ? p.getName() : form.value());
                    }
                }
                out.put(base + (sub == null ? "" : sub.value()), fields);
            }
        }
        return out;
    }

    @Test
    void everyMultipartWriteDocumentsItsFormFields() throws Exception {
        Map<String, Set<String>> endpoints = formFieldsByPath();
        assertTrue(endpoints.keySet().containsAll(List.of("/api/images/edit-exif", "/api/images/advanced-edit",
                "/api/images/strip-exif", "/api/images/geo-exif", "/api/images/seo-exif", "/api/images/view-exif",
                "/api/images/advanced-edit-bulk", "/api/images/strip-exif-bulk")), endpoints.toString());

        JsonNode doc = WriteSupport.JSON.readTree(RestAssured.given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<String> problems = new ArrayList<>();
        endpoints.forEach((path, fields) -> {
            JsonNode body = doc.path("paths").path(path).path("post").path("requestBody");
            JsonNode media = body.path("content").path(MediaType.MULTIPART_FORM_DATA);
            JsonNode schema = resolve(doc, media.path("schema"));
            Set<String> documented = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(documented::add);
            if (!documented.equals(fields)) {
                problems.add(path + ": documents " + documented + ", reads " + fields);
            }
            schema.path("properties").fields().forEachRemaining(p -> {
                if (p.getValue().path("description").asText().isBlank()) {
                    problems.add(path + " " + p.getKey() + ": no description");
                }
            });
            Set<String> required = new TreeSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            if (!required.contains(fields.contains("files") ? "files" : "file")) {
                problems.add(path + ": the file part is not marked required: " + required);
            }
            if (!(media.path("examples").size() > 0 || media.has("example"))) {
                problems.add(path + ": no example of the form");
            }
        });
        assertEquals(List.of(), problems);

        JsonNode files = resolve(doc, doc.at("/paths/~1api~1images~1strip-exif-bulk/post/requestBody/content")
                .path(MediaType.MULTIPART_FORM_DATA).path("schema")).at("/properties/files");
        assertEquals("array", files.path("type").asText(), files.toString());
        assertEquals(20, files.path("maxItems").asInt(), files.toString());
    }

    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }
}
