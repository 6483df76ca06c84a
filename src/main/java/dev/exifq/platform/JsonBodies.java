package dev.exifq.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a request body that must be a JSON object, with our 400s for an empty body and bad JSON. */
public final class JsonBodies {
    private JsonBodies() {}

    public static JsonNode object(ObjectMapper json, String body, String emptyCode, String emptyMessage) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest(emptyCode, emptyMessage);
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("invalid_json", "The body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "The request body is not valid JSON.");
        }
    }
}
