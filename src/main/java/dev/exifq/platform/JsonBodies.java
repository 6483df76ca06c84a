package dev.exifq.platform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** Reads a request body that must be a JSON object, with our 400s for an empty body and bad JSON. */
public final class JsonBodies {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonBodies() {}

    /**
     * Whether something follows the body's first JSON value ({"url": "..."} trailing): Jackson reads the first
     * value and ignores the rest. A body that is not JSON at all is not judged here; its endpoint answers it.
     */
    static boolean hasTrailingContent(byte[] body) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            try {
                return parser.nextToken() != null;
            } catch (JsonProcessingException garbageAfterTheValue) {
                return true;
            }
        } catch (IOException malformed) {
            return false;
        }
    }

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
