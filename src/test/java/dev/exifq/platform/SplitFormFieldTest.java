package dev.exifq.platform;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multipart text field whose delimiter's CRLF is cut by the network between CR and LF keeps its value (Netty's
 * decoder left the CR in it, netty/netty#16972): the body is sent in two writes, split exactly there, as TCP
 * sometimes splits it. This was the rare 400 invalid_async on a valid upload.
 */
@QuarkusTest
class SplitFormFieldTest {

    @Test
    void anAsyncFieldCutBetweenItsCrAndLfIsStillTrue() throws Exception {
        String boundary = "exifqsplit" + System.nanoTime();
        byte[] image = Files.readAllBytes(Corpus.image("exifsamples__jpg__orientation__portrait_7.jpg"));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(("\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"split.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        rest.write(image);
        rest.write(("\nsplit-" + System.nanoTime() + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] first = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"async\"\r\n\r\ntrue\r")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] second = rest.toByteArray();
        String head = "POST /v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Api.ADMIN_KEY + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                + (first.length + second.length) + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(first);
            out.flush();
            Thread.sleep(300); // the server reads the body up to the CR, decodes it, then waits for the rest
            out.write(second);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
            assertTrue(answer.contains("\"status\":\"queued\"") || answer.contains("\"status\":\"processing\"")
                    || answer.contains("\"status\":\"processed\""), answer);
        }
    }

    @Test
    void oneTrailingCrIsDroppedFromEveryValue() {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("async", "true\r").add("title", "two lines\r\n\r").add("k", "a").add("k", "b\r").add("plain", "x");
        LeakedCarriageReturns.repair(form);
        assertEquals("true", form.get("async"));
        assertEquals("two lines\r\n", form.get("title"));
        assertEquals(java.util.List.of("a", "b"), form.getAll("k"));
        assertEquals("x", form.get("plain"));
    }
}
