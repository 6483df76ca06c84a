package dev.exifq.platform;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartHeaderCheckTest {
    private static final String TYPE = "multipart/form-data; boundary=b";
    private static final String PART = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.jpg\"\r\n"
            + "Content-Type: image/jpeg\r\n\r\n";

    @Test
    void wellFormedBodiesPassWholeAndByteByByte() {
        for (String body : new String[] {
                PART + "abc\r\n--b--\r\n",
                "preamble\r\n" + PART + "x\n--by\r\n--b \t\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nv\r\n--b--",
                PART + "content with --b inside and\r\n--bx on a line\r\n--b--\r\nepilogue\nno colon\r",
                PART + "\r\n--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--b--\r\n"}) {
            assertNull(whole(TYPE, body), body);
            assertNull(byteByByte(TYPE, body), body);
        }
    }

    @Test
    void lenientlyParsedHeadersAreFoundWhereverTheChunksSplit() {
        for (String body : new String[] {
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\nb.jpg\"\r\n\r\nx\r\n--b--\r\n",
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\rb.jpg\"\r\n\r\nx\r\n--b--\r\n",
                PART + "x\r\n--b\r\nContent-Disposition: form-data; name=\"n\"\r\nno colon here\r\n\r\nv\r\n--b--\r\n",
                "--b\r\n: value without a name\r\n\r\nv\r\n--b--\r\n",
                "--b\nContent-Disposition: form-data; name=\"n\"\r\n\r\nv\r\n--b--\r\n",
                "--b\r\nContent-Type:  MULTIPART/mixed; boundary=c\r\n\r\n--c--\r\n--b--\r\n",
                "--b\r\nX-Long: " + "l".repeat(PartHeaderCheck.MAX_LINE) + "\r\n\r\nv\r\n--b--\r\n"}) {
            assertNotNull(whole(TYPE, body), body);
            assertNotNull(byteByByte(TYPE, body), body);
        }
    }

    @Test
    void theBoundaryIsTakenQuotedOrNot() {
        String body = "--a b\r\nno colon\r\n\r\nv\r\n--a b--\r\n";
        assertNotNull(whole("multipart/form-data; charset=utf-8; boundary=\"a b\"", body));
        assertNotNull(whole("Multipart/Form-Data;BOUNDARY=xyz", "--xyz\r\nno colon\r\n\r\n--xyz--"));
        assertNull(PartHeaderCheck.forContentType("application/json"));
        assertNull(PartHeaderCheck.forContentType("multipart/form-data"));
        assertNull(PartHeaderCheck.forContentType(null));
    }

    @Test
    void aProblemStaysAProblem() {
        PartHeaderCheck check = PartHeaderCheck.forContentType(TYPE);
        String problem = check.feed(bytes("--b\r\nno colon\r\n"));
        assertTrue(problem.contains("Name: value"), problem);
        assertNotNull(check.feed(bytes("\r\nv\r\n--b--\r\n")));
    }

    private static String whole(String type, String body) {
        return PartHeaderCheck.forContentType(type).feed(bytes(body));
    }

    private static String byteByByte(String type, String body) {
        PartHeaderCheck check = PartHeaderCheck.forContentType(type);
        String problem = null;
        for (byte b : bytes(body)) {
            problem = check.feed(new byte[] {b});
        }
        return problem;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
