package dev.exifq.batches;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.images.EditRequests;
import dev.exifq.images.IngestService;
import dev.exifq.metadata.EditSpec;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the three forms of a batch: JSON {@code {"urls": [...], "callback_url", "edit"}}, text (one URL a line)
 * and NDJSON (one JSON string or {@code {"url": ...}} a line). Every URL passes the same checks as
 * {@code POST /v1/images}; the first bad one is a 400 naming its index (0-based, among the URLs).
 */
@ApplicationScoped
class BatchRequests {
    static final int MAX_URLS = 10_000;
    private static final String EMPTY = "Send {\"urls\": [\"https://...\", ...]} as JSON, or one URL a line as "
            + "text/plain or application/x-ndjson.";

    private final ObjectMapper json;
    private final EditRequests edits;

    BatchRequests(ObjectMapper json, EditRequests edits) {
        this.json = json;
        this.edits = edits;
    }

    BatchRequest fromJson(String body) {
        JsonNode node = JsonBodies.object(json, body, "missing_input", EMPTY);
        JsonNode urls = node.get("urls");
        if (urls == null || urls.isNull()) {
            throw ApiException.badRequest("missing_urls", "Give 'urls', a list of 1 to " + MAX_URLS + " URLs.");
        }
        if (!urls.isArray()) {
            throw ApiException.badRequest("invalid_urls", "'urls' must be a list of URLs (strings).");
        }
        checkCount(urls.size());
        List<String> out = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            JsonNode u = urls.get(i);
            if (!u.isTextual()) {
                throw invalidUrl(i, "must be a string");
            }
            out.add(url(i, u.asText()));
        }
        return new BatchRequest(out, callback(node.get("callback_url")), edit(node.get("edit")));
    }

    /** One URL a line; blank lines are skipped. */
    BatchRequest fromText(String body) {
        List<String> lines = lines(body);
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(url(out.size(), line));
        }
        return new BatchRequest(out, null, null);
    }

    /** One JSON value a line: a URL string, or an object with a 'url'; blank lines are skipped. */
    BatchRequest fromNdjson(String body) {
        List<String> lines = lines(body);
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            int i = out.size();
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "invalid_json", "Line " + (i + 1) + " of the URLs is not JSON.",
                        Map.of("index", i));
            }
            JsonNode u = node != null && node.isObject() ? node.get("url") : node;
            if (u == null || !u.isTextual()) {
                throw invalidUrl(i, "must be a JSON string or an object with a 'url' string");
            }
            out.add(url(i, u.asText()));
        }
        return new BatchRequest(out, null, null);
    }

    private static List<String> lines(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("missing_input", EMPTY);
        }
        List<String> lines = body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        checkCount(lines.size());
        return lines;
    }

    private static void checkCount(int n) {
        if (n == 0) {
            throw ApiException.badRequest("empty_batch", "The batch has no URLs; give 1 to " + MAX_URLS + ".");
        }
        if (n > MAX_URLS) {
            throw ApiException.badRequest("too_many_urls", "The batch has " + n + " URLs; at most " + MAX_URLS
                    + " are accepted in one batch.");
        }
    }

    private static String url(int index, String url) {
        try {
            return IngestService.validateUrl(url);
        } catch (ApiException e) {
            throw invalidUrl(index, e.getMessage());
        }
    }

    private static ApiException invalidUrl(int index, String why) {
        return new ApiException(400, "invalid_url", "URL " + index + " (counting from 0): " + why
                + (why.endsWith(".") ? "" : "."), Map.of("index", index));
    }

    private static String callback(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("invalid_callback_url", "'callback_url' must be a string.");
        }
        try {
            // syntax only: the address is checked against the SSRF guard when a delivery is made
            return IngestService.validateUrl(node.asText());
        } catch (ApiException e) {
            throw ApiException.badRequest("invalid_callback_url", "'callback_url' is not accepted: " + e.getMessage());
        }
    }

    private EditSpec edit(JsonNode node) {
        return node == null || node.isNull() ? null : edits.parse(node);
    }
}
