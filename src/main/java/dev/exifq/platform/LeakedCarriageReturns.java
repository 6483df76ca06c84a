package dev.exifq.platform;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty's multipart decoder (4.1.132) keeps the CR of the delimiter's CRLF in a text field's value when a network
 * read ends between that CR and its LF: {@code async=true} arrives as {@code "true\r"} (netty/netty#16972, open).
 * Which field, and whether at all, depends on how TCP cut the body, so it looked like a rare client error (a 400
 * invalid_async once in a few thousand uploads) and could write a stray CR into a title. A value of a form field
 * never legitimately ends in a lone CR (browsers send line breaks as CRLF), so one trailing CR is dropped from every
 * text field of a multipart body once it is decoded.
 */
final class LeakedCarriageReturns {
    private LeakedCarriageReturns() {}

    static void repair(MultiMap form) {
        for (String name : new ArrayList<>(form.names())) {
            List<String> values = form.getAll(name);
            if (values.stream().anyMatch(v -> v.endsWith("\r"))) {
                form.set(name, values.stream().map(v -> v.endsWith("\r") ? v.substring(0, v.length() - 1) : v).toList());
            }
        }
    }
}
