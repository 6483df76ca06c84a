package dev.exifq.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP/1.1 request written as is on a socket, for what REST Assured and java.net clients will not send: a
 * malformed percent-encoding in the request line, a chunked body of a chosen size.
 */
public final class RawHttp {
    public record Answer(int status, String head, String body) {}

    private RawHttp() {}

    public static Answer send(int port, String requestLine, String... headers) throws IOException {
        return exchange(port, requestLine, null, false, headers);
    }

    /**
     * As {@link #send}, but returns as soon as the answer's head and its Content-Length of body have arrived, not
     * when the server closes: for a request that announces a body it never sends, which the server may leave open
     * after answering (until this client's 30 s read timeout, which {@link #send} would wait out).
     */
    public static Answer sendUntilAnswered(int port, String requestLine, String... headers) throws IOException {
        return exchange(port, requestLine, null, true, headers);
    }

    /** The body sent chunked (no Content-Length); a server that answers and closes part-way is fine. */
    public static Answer sendChunked(int port, String requestLine, byte[] body, String... headers) throws IOException {
        return exchange(port, requestLine, body, false, headers);
    }

    private static Answer exchange(int port, String requestLine, byte[] chunkedBody, boolean untilAnswered,
                                   String... headers)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nConnection: close\r\n");
            if (chunkedBody != null) {
                request.append("Transfer-Encoding: chunked\r\n");
            }
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            // read while writing: the server may answer before the body is all sent, then close
            InputStream in = socket.getInputStream();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(
                    () -> untilAnswered ? readUntilAnswered(in) : readUntilClosed(in));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                if (chunkedBody != null) {
                    for (int off = 0; off < chunkedBody.length; off += 65536) {
                        int n = Math.min(65536, chunkedBody.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(chunkedBody, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException closedByServer) {
                // the answer, if any, is in `received`
            }
            String raw = new String(received.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            // an interim "100 Continue" may come first
            while (raw.startsWith("HTTP/1.1 100")) {
                raw = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            }
            int split = raw.indexOf("\r\n\r\n");
            String head = split < 0 ? raw : raw.substring(0, split);
            String body = split < 0 ? "" : raw.substring(split + 4);
            return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no answer: " + e, e);
        }
    }

    /** What the server sends until one final answer with a Content-Length is complete, or it closes. */
    private static byte[] readUntilAnswered(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while (!answered(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
            }
        } catch (IOException resetAfterTheAnswer) {
            // what arrived before the reset is the answer
        }
        return all.toByteArray();
    }

    private static boolean answered(String raw) {
        while (raw.startsWith("HTTP/1.1 100") && raw.contains("\r\n\r\n")) {
            raw = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
        int split = raw.indexOf("\r\n\r\n");
        if (split < 0 || raw.startsWith("HTTP/1.1 100")) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$")
                .matcher(raw.substring(0, split));
        return length.find() && raw.length() - split - 4 >= Long.parseLong(length.group(1));
    }

    /** Everything the server sends until it closes (or resets) the connection. */
    public static byte[] readUntilClosed(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
            }
        } catch (IOException resetAfterTheAnswer) {
            // what arrived before the reset is the answer
        }
        return all.toByteArray();
    }
}
