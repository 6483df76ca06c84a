package dev.exifq.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API reference for /docs, read from the same OpenAPI document /q/openapi serves: every operation with its
 * summary, description, parameters and examples, grouped by tag in the document's order. Texts are plain strings;
 * the template escapes them.
 */
@ApplicationScoped
public class ApiReference {
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    public record Parameter(String name, String in, boolean required, String description) {}

    public record Example(String label, String value) {}

    public record Reply(String code, String description, List<Example> examples) {}

    public record Operation(String anchor, String method, String path, String summary, String description,
                            List<Parameter> parameters, List<Example> requestExamples,
                            List<Reply> responses) {}

    public record Section(String tag, List<Operation> operations) {}

    private final OpenApiDocumentService documents;
    private final ObjectMapper json;
    private volatile List<Section> sections;

    public ApiReference(OpenApiDocumentService documents, ObjectMapper json) {
        this.documents = documents;
        this.json = json;
    }

    /** Built once: the document does not change while the server runs. */
    public List<Section> sections() {
        List<Section> s = sections;
        if (s == null) {
            try {
                s = sections = read(json.readTree(documents.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.JSON)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    static List<Section> read(JsonNode doc) {
        Map<String, List<Operation>> byTag = new LinkedHashMap<>();
        doc.path("tags").forEach(t -> byTag.put(t.path("name").asText(), new ArrayList<>()));
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (String method : METHODS) {
                JsonNode op = p.getValue().get(method);
                if (op == null) {
                    continue;
                }
                String tag = op.path("tags").path(0).asText("Other");
                byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(operation(method, p.getKey(), op,
                        p.getValue().path("parameters")));
            }
        }
        List<Section> sections = new ArrayList<>();
        byTag.forEach((tag, ops) -> {
            if (!ops.isEmpty()) {
                sections.add(new Section(tag, List.copyOf(ops)));
            }
        });
        return List.copyOf(sections);
    }

    private static Operation operation(String method, String path, JsonNode op, JsonNode pathParameters) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode list : List.of(pathParameters, op.path("parameters"))) {
            list.forEach(p -> parameters.add(new Parameter(p.path("name").asText(), p.path("in").asText(),
                    p.path("required").asBoolean(false), p.path("description").asText(""))));
        }
        List<Reply> responses = new ArrayList<>();
        op.path("responses").fields().forEachRemaining(r -> responses.add(new Reply(r.getKey(),
                r.getValue().path("description").asText(""), examples(r.getValue().path("content")))));
        return new Operation(anchor(method, path), method.toUpperCase(Locale.ROOT), path, op.path("summary").asText(""),
                op.path("description").asText(""), List.copyOf(parameters),
                examples(op.path("requestBody").path("content")), List.copyOf(responses));
    }

    private static List<Example> examples(JsonNode content) {
        List<Example> out = new ArrayList<>();
        content.fields().forEachRemaining(media -> {
            JsonNode m = media.getValue();
            m.path("examples").fields().forEachRemaining(e -> out.add(new Example(media.getKey() + " · " + e.getKey(),
                    text(e.getValue().path("value")))));
            if (m.has("example")) {
                out.add(new Example(media.getKey(), text(m.get("example"))));
            }
        });
        return List.copyOf(out);
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toPrettyString();
    }

    /** An id for the operation's heading: letters, digits and dashes only. */
    static String anchor(String method, String path) {
        return (method + path).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+$", "");
    }
}
