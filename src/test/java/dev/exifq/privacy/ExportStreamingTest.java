package dev.exifq.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.platform.Ulid;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export of a large library is read from the database while the client reads the download, a page at a time,
 * never the whole library first: memory stays bounded by a page and the socket buffers, whatever the library size.
 */
@QuarkusTest
class ExportStreamingTest {
    private static final int IMAGES = 1000;
    /**
     * Metadata per image: 1,000 images make a 40 MB export, ten times what the socket buffers between server and
     * client hold (tcp_wmem's 4 MB at most, the client's receive buffer is fixed at 64 KB).
     */
    private static final int METADATA_BYTES = 40_000;

    @Inject
    ObjectMapper json;

    @Test
    void imagesAreReadPageByPageAsTheClientReadsNotBefore() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        TestDb.update("""
                insert into images (id, user_id, status, filename, metadata, created_at, updated_at)
                select lower(? || lpad(to_hex(g), 10, '0')), ?, 'queued', 'bulk-' || g || '.jpg',
                       json_build_object('XMP', json_build_object('Description', repeat(md5(g::text), ?)))::text,
                       now(), now()
                  from generate_series(1, ?) g""", Ulid.next().substring(0, 16), user.userId(), METADATA_BYTES / 32, IMAGES);

        List<String> filenames = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (Socket socket = new Socket()) {
            // set before connecting: a small fixed receive window (no autotuning), so what the client has not read
            // yet piles up on the server's side, where the export must wait for it instead of reading on
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /api/account/export HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + user.apiKey() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = head(in).toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 200"), head);
            assertTrue(head.contains("\r\ntransfer-encoding: chunked"), head);
            assertFalse(head.contains("\r\ncontent-length:"), head);

            BufferedReader body = new BufferedReader(new InputStreamReader(new ChunkedBody(in), StandardCharsets.UTF_8));
            String line;
            while ((line = body.readLine()) != null && !image(line, ids, filenames)) {
                // the account lines
            }
            assertEquals(1, ids.size(), "no image line in the export");
            // The client holds one image line of 1,000. Give a server that reads ahead regardless time to do so,
            // then rename every image: lines read from the database before this say bulk-, after it late-bulk-.
            Thread.sleep(2_000);
            TestDb.update("update images set filename = 'late-' || filename where user_id = ?", user.userId());
            while ((line = body.readLine()) != null) {
                assertTrue(image(line, ids, filenames), line);
            }
        }

        assertEquals(IMAGES, ids.size());
        assertEquals(IMAGES, new HashSet<>(ids).size());
        long readBefore = filenames.stream().filter(f -> f.startsWith("bulk-")).count();
        assertTrue(filenames.subList(0, (int) readBefore).stream().allMatch(f -> f.startsWith("bulk-"))
                && filenames.subList((int) readBefore, IMAGES).stream().allMatch(f -> f.startsWith("late-bulk-")),
                "each page is read in one go, in order");
        assertEquals(0, readBefore % AccountExport.PAGE, readBefore + " images read before the rename");
        // the socket buffers hold about 100 of these images, so the export waits inside its first page (200 here);
        // a second page is the margin for larger buffers elsewhere, and still far from the 1,000 of a read-all
        assertTrue(readBefore <= 2 * AccountExport.PAGE, "the export had read " + readBefore + " of " + IMAGES
                + " images while the client had read one: it reads ahead instead of streaming");
    }

    /** Adds the line's image, if it is one. */
    private boolean image(String line, List<String> ids, List<String> filenames) throws IOException {
        JsonNode node = json.readTree(line);
        if (!node.path("type").asText().equals("image")) {
            return false;
        }
        ids.add(node.path("image").path("id").asText());
        filenames.add(node.path("image").path("filename").asText());
        assertEquals(METADATA_BYTES / 32 * 32, node.path("image").path("metadata").path("XMP").path("Description")
                .asText().length());
        return true;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The body of a chunked HTTP/1.1 response (RFC 9112 7.1), without trailers. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                left = Long.parseLong(line().split(";", 2)[0].strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(); // the CRLF after the chunk's data
            }
            return n;
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed in a chunk header");
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.toString();
        }
    }
}
