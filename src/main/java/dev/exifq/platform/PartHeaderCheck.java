package dev.exifq.platform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Locale;

/**
 * Checks the raw part headers of a multipart body as its bytes arrive, where Netty's parser is lenient: it ends a
 * header line at a bare LF (so a raw LF inside {@code filename="…"} cuts the name) and skips a line without a
 * colon. Here every header line must end in CRLF, hold no other CR or LF, and be {@code Name: value}; a part may
 * not itself be multipart (Netty would parse its inner headers the same lenient way). Keeps no more than one
 * header line, up to {@link #MAX_LINE} bytes, whatever the body's size.
 */
final class PartHeaderCheck {
    /** Longer header lines are refused (Netty refuses them a little later, with a less precise message). */
    static final int MAX_LINE = 4096;

    private enum State { CONTENT, AFTER_DELIMITER, DELIMITER_CR, HEADERS, EPILOGUE }

    /** The delimiter as it is searched for: LF, two dashes, the boundary (Netty also takes it after a bare LF). */
    private final byte[] delimiter;
    private State state = State.CONTENT;
    private int matched = 1; // the body starts as if after a line break: the first delimiter needs none
    private int dashes;
    private final StringBuilder line = new StringBuilder();
    private boolean cr;
    private String problem;

    private PartHeaderCheck(String boundary) {
        this.delimiter = ("\n--" + boundary).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The check for a request of this Content-Type, or null when it is not multipart with a boundary. */
    static PartHeaderCheck forContentType(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.indexOf('\n') >= 0 || b.indexOf('\r') >= 0 ? null : new PartHeaderCheck(b);
            }
        }
        return null;
    }

    /**
     * Reads the next bytes of the body; returns what is wrong with its part headers, or null while nothing is.
     * After a problem is found, it is returned again for any further bytes.
     */
    String feed(byte[] bytes) {
        return feed(Unpooled.wrappedBuffer(bytes));
    }

    /** {@link #feed(byte[])} on the bytes between the buffer's reader and writer index, which it leaves as they are. */
    String feed(ByteBuf bytes) {
        int end = bytes.writerIndex();
        int i = bytes.readerIndex();
        while (i < end && problem == null && state != State.EPILOGUE) {
            if (state == State.CONTENT && matched == 0) {
                // inside a part's content only a line break can start a delimiter: skip to the next one at memory
                // speed instead of looking at every byte of the file (this check ran on every uploaded byte)
                i = bytes.indexOf(i, end, (byte) '\n');
                if (i < 0) {
                    break;
                }
            }
            next(bytes.getByte(i++));
        }
        return problem;
    }

    private void next(byte b) {
        switch (state) {
            case CONTENT -> {
                if (b == delimiter[matched]) {
                    if (++matched == delimiter.length) {
                        state = State.AFTER_DELIMITER;
                        dashes = 0;
                    }
                } else {
                    matched = b == '\n' ? 1 : 0;
                }
            }
            case AFTER_DELIMITER -> {
                if (b == '-' && ++dashes == 2) {
                    state = State.EPILOGUE; // the closing delimiter: what follows is never parsed
                } else if (b == '-') {
                    // the first of the closing two
                } else if (dashes > 0) {
                    notADelimiter(b);
                } else if (b == ' ' || b == '\t') {
                    // transport padding
                } else if (b == '\r') {
                    state = State.DELIMITER_CR;
                } else if (b == '\n') {
                    problem = "a line of the body ends in a bare LF, not CRLF";
                } else {
                    notADelimiter(b); // the boundary was the start of a longer line inside a part's content
                }
            }
            case DELIMITER_CR -> {
                if (b == '\n') {
                    startLine();
                    state = State.HEADERS;
                } else {
                    problem = "a delimiter line ends in a bare CR";
                }
            }
            case HEADERS -> header(b);
            case EPILOGUE -> { }
        }
    }

    private void notADelimiter(byte b) {
        state = State.CONTENT;
        matched = b == '\n' ? 1 : 0;
    }

    private void header(byte b) {
        if (cr) {
            if (b != '\n') {
                problem = "a part's header contains a bare CR";
            } else if (line.isEmpty()) {
                state = State.CONTENT;
                matched = 1; // an empty content may follow at once
            } else {
                endLine();
                startLine();
            }
        } else if (b == '\r') {
            cr = true;
        } else if (b == '\n') {
            problem = "a part's header contains a bare LF (in a quoted filename, too)";
        } else if (line.length() >= MAX_LINE) {
            problem = "a part's header line is longer than " + MAX_LINE + " bytes";
        } else {
            line.append((char) (b & 0xff));
        }
    }

    private void startLine() {
        line.setLength(0);
        cr = false;
    }

    private void endLine() {
        int colon = line.indexOf(":");
        if (colon <= 0) {
            problem = "a part's header line is not 'Name: value'";
        } else if (line.substring(0, colon).trim().equalsIgnoreCase("content-type")
                && line.substring(colon + 1).trim().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            problem = "a part is itself multipart";
        }
    }
}
