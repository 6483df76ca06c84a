package dev.exifq.fetch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** File names from Content-Disposition or the URL path, made safe to store and show. */
public final class Filenames {
    private static final Pattern DOTS = Pattern.compile("\\.{2,}");
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    static final int MAX_BYTES = 255;

    private Filenames() {
    }

    /** The file name a response suggests, sanitised, or null. */
    static String choose(String contentDisposition, String finalRawPath, String originalRawPath) {
        String name = sanitize(fromContentDisposition(contentDisposition));
        if (name == null) {
            name = sanitize(fromPath(finalRawPath));
        }
        if (name == null) {
            name = sanitize(fromPath(originalRawPath));
        }
        return name;
    }

    /**
     * {@code filename*} (RFC 5987/6266, UTF-8 or ISO-8859-1) wins over {@code filename}; unsanitised; null if
     * absent.
     */
    static String fromContentDisposition(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Map<String, String> params = parseParams(header);
        String extended = params.get("filename*");
        if (extended != null) {
            String decoded = decodeExtValue(extended);
            if (decoded != null && !decoded.isBlank()) {
                return decoded;
            }
        }
        String plain = params.get("filename");
        if (plain == null) {
            return null;
        }
        return maybeUtf8(plain);
    }

    /** Last path segment, percent-decoded; null if the path ends with '/'. */
    static String fromPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return null;
        }
        String segment = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        int semi = segment.indexOf(';'); // path parameters such as ;jsessionid=...
        if (semi >= 0) {
            segment = segment.substring(0, semi);
        }
        if (segment.isEmpty()) {
            return null;
        }
        return TargetUrl.percentDecode(segment);
    }

    /**
     * No path separators (only the part after the last one is kept), no control or invisible formatting
     * characters, no {@code ..}, no leading/trailing dots or spaces, at most 255 UTF-8 bytes (the extension is
     * kept when cutting). Null if nothing usable is left.
     */
    public static String sanitize(String raw) {
        if (raw == null) {
            return null;
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int sep = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(sep + 1);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || cp == 0xFFFD) {
                return;
            }
            b.appendCodePoint(Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? ' ' : cp);
        });
        s = SPACES.matcher(DOTS.matcher(b.toString()).replaceAll(".")).replaceAll(" ");
        s = trimDotsAndSpaces(s);
        if (s.isEmpty()) {
            return null;
        }
        if (utf8Length(s) > MAX_BYTES) {
            s = truncate(s);
        }
        return s.isEmpty() ? null : s;
    }

    private static String trimDotsAndSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String truncate(String s) {
        String ext = "";
        int dot = s.lastIndexOf('.');
        if (dot > 0 && s.length() - dot <= 16) {
            ext = s.substring(dot);
        }
        String base = s.substring(0, s.length() - ext.length());
        int budget = MAX_BYTES - utf8Length(ext);
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int len = utf8Length(new String(Character.toChars(cp)));
            if (used + len > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return trimDotsAndSpaces(out.toString()) + ext;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Parameters of a header like {@code attachment; filename="a b.jpg"; filename*=UTF-8''a%20b.jpg}. */
    static Map<String, String> parseParams(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = header.indexOf(';');
        if (i < 0) {
            return out;
        }
        int n = header.length();
        while (i < n) {
            // skip ';' and whitespace
            while (i < n && (header.charAt(i) == ';' || Character.isWhitespace(header.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            String name = header.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            if (i >= n || header.charAt(i) == ';') {
                continue;
            }
            i++; // '='
            while (i < n && Character.isWhitespace(header.charAt(i))) {
                i++;
            }
            String value;
            if (i < n && header.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i++;
                while (i < n && header.charAt(i) != '"') {
                    char c = header.charAt(i);
                    // only \" and \\ are unescaped: senders rarely escape, and a Windows path must keep its
                    // separators so that only the last component survives sanitising
                    if (c == '\\' && i + 1 < n && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\')) {
                        c = header.charAt(++i);
                    }
                    v.append(c);
                    i++;
                }
                i++; // closing quote
                value = v.toString();
                while (i < n && header.charAt(i) != ';') {
                    i++;
                }
            } else {
                int valueStart = i;
                while (i < n && header.charAt(i) != ';') {
                    i++;
                }
                value = header.substring(valueStart, i).trim();
            }
            if (!name.isEmpty()) {
                out.putIfAbsent(name, value);
            }
        }
        return out;
    }

    /** {@code charset'lang'percent-encoded}; null if malformed or an unsupported charset. */
    static String decodeExtValue(String value) {
        int q1 = value.indexOf('\'');
        int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            return null;
        }
        String charsetName = value.substring(0, q1).trim().toUpperCase(Locale.ROOT);
        Charset cs;
        if (charsetName.equals("UTF-8")) {
            cs = StandardCharsets.UTF_8;
        } else if (charsetName.equals("ISO-8859-1")) {
            cs = StandardCharsets.ISO_8859_1;
        } else {
            return null;
        }
        String enc = value.substring(q2 + 1);
        ByteBuffer bytes = ByteBuffer.allocate(enc.length());
        for (int i = 0; i < enc.length(); i++) {
            char c = enc.charAt(i);
            if (c == '%') {
                if (i + 2 >= enc.length() || Character.digit(enc.charAt(i + 1), 16) < 0
                        || Character.digit(enc.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.put((byte) (Character.digit(enc.charAt(i + 1), 16) * 16 + Character.digit(enc.charAt(i + 2), 16)));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                return null;
            }
        }
        bytes.flip();
        return decodeStrict(bytes, cs);
    }

    /** Header values arrive as ISO-8859-1; many servers put raw UTF-8 in filename="...". */
    private static String maybeUtf8(String s) {
        boolean high = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                return s;
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return s;
        }
        String utf8 = decodeStrict(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.UTF_8);
        return utf8 != null ? utf8 : s;
    }

    private static String decodeStrict(ByteBuffer bytes, Charset cs) {
        try {
            CharBuffer chars = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
