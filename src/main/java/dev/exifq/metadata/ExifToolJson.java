package dev.exifq.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts top-level fields out of exiftool's JSON text without re-serialising anything, so every kept byte (key
 * order, whitespace, number spelling such as {@code 14.0}) is what exiftool printed. Field boundaries come from
 * Jackson's streaming parser (token offsets); the text between two fields is whitespace and one comma by the
 * JSON grammar, so the raw text of a field runs from its name to the last non-blank character before that comma.
 */
final class ExifToolJson {

    static final JsonFactory FACTORY = JsonFactory.builder()
            // exiftool output is bounded by the task's maxOutputBytes; don't fail on long strings below that
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(256 * 1024 * 1024)
                    .maxNumberLength(10_000)
                    .build())
            .build();

    private ExifToolJson() {
    }

    /** One top-level field: its name, its raw text ({@code "name": value}) and the blank text before it. */
    record Field(String name, String raw, String leading) {
    }

    /** The single object of a {@code -json} array, split into raw top-level fields. */
    record SplitObject(List<Field> fields, String trailing) {

        /** The object text without the named fields, with exiftool's own spacing; {@code "{}"} if none left. */
        String without(Set<String> dropped) {
            StringBuilder b = new StringBuilder();
            b.append('{');
            boolean any = false;
            for (Field f : fields) {
                if (dropped.contains(f.name())) {
                    continue;
                }
                if (any) {
                    b.append(',');
                }
                b.append(f.leading()).append(f.raw());
                any = true;
            }
            if (!any) {
                return "{}";
            }
            return b.append(trailing).append('}').toString();
        }

        /** Raw text of the named field's value (after {@code "name":} and blanks), or null. */
        String rawValue(String name) {
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    String raw = f.raw();
                    int colon = raw.indexOf(':', rawNameLength(raw));
                    int i = colon + 1;
                    while (i < raw.length() && isBlank(raw.charAt(i))) {
                        i++;
                    }
                    return raw.substring(i);
                }
            }
            return null;
        }
    }

    /**
     * Parses exiftool {@code -json} output for one file: an array holding exactly one object.
     *
     * @return the object split into fields, or null if the output holds no object (exiftool printed nothing)
     * @throws IOException if the text is not such an array
     */
    static SplitObject splitSingle(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new IOException("exiftool -json output is not an array: " + t);
            }
            t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IOException("exiftool -json array does not hold an object: " + t);
            }
            int objStart = offset(p);
            List<Integer> starts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int objEnd;
            while (true) {
                t = p.nextToken();
                if (t == JsonToken.END_OBJECT) {
                    objEnd = offset(p);
                    break;
                }
                if (t != JsonToken.FIELD_NAME) {
                    throw new IOException("unexpected token in exiftool object: " + t);
                }
                starts.add(offset(p));
                names.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new IOException("exiftool -json output holds more than one object");
            }
            if (p.nextToken() != null) {
                throw new IOException("trailing data after exiftool -json array");
            }

            List<Field> fields = new ArrayList<>(names.size());
            int prevDelimiter = objStart; // index of '{' or of the comma before the field
            for (int i = 0; i < names.size(); i++) {
                int start = starts.get(i);
                int next = i + 1 < names.size() ? starts.get(i + 1) : objEnd;
                int end = next;
                while (end > start && isBlank(json.charAt(end - 1))) {
                    end--;
                }
                int comma = -1;
                if (i + 1 < names.size()) {
                    if (json.charAt(end - 1) != ',') {
                        throw new IOException("no comma between exiftool fields at offset " + end);
                    }
                    comma = end - 1;
                    end = comma;
                    while (end > start && isBlank(json.charAt(end - 1))) {
                        end--;
                    }
                }
                fields.add(new Field(names.get(i), json.substring(start, end),
                        json.substring(prevDelimiter + 1, start)));
                prevDelimiter = comma;
                if (i + 1 == names.size()) {
                    return new SplitObject(fields, json.substring(end, objEnd));
                }
            }
            return new SplitObject(fields, json.substring(objStart + 1, objEnd));
        }
    }

    private static int offset(JsonParser p) throws IOException {
        long off = p.currentTokenLocation().getCharOffset();
        if (off < 0 || off > Integer.MAX_VALUE) {
            throw new IOException("no character offset from the JSON parser");
        }
        return (int) off;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** Length of the leading JSON string (the field name with its quotes) of a raw field. */
    private static int rawNameLength(String raw) {
        int i = 1;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '"') {
                return i + 1;
            }
            i++;
        }
        return raw.length();
    }
}
