package dev.exifq.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written as is on a socket, for request lines REST Assured and java.net clients refuse to
 * send (a malformed percent-encoding, ...).
 */
public final class RawHttp {
    public record Answer(int status, String head, String body) {}

    private RawHttp() {}

    public static Answer send(int port, String requestLine, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nConnection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String head = split < 0 ? raw : raw.substring(0, split);
            String body = split < 0 ? "" : raw.substring(split + 4);
            return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
        }
    }
}
