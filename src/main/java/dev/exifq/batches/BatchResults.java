package dev.exifq.batches;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's items as CSV or JSON lines, one row per item in the order submitted, written page by page (keyset on
 * the item's position, {@link #PAGE} rows a query, each on a short-lived connection): memory stays constant
 * whatever the batch's size, and no connection is held while the client reads slowly.
 */
@ApplicationScoped
class BatchResults {
    static final List<String> COLUMNS = List.of("id", "url", "status", "checksum", "bytesize", "content_type",
            "width", "height", "dhash", "phash", "camera", "lens", "error");
    private static final int PAGE = 500;

    private final DataSource db;
    private final ObjectMapper json;

    BatchResults(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** One item: an image not yet made from it reads as queued with everything else null. */
    record Row(String id, String url, String status, String checksum, Long bytesize, String contentType,
               Integer width, Integer height, String dhash, String phash, String camera, String lens, String error,
               String metadata) {}

    void csv(String batchId, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.write(String.join(",", COLUMNS));
        w.write("\r\n");
        forEachPage(batchId, page -> {
            for (Row r : page) {
                List<String> cells = List.of(r.id(), r.url(), r.status(), text(r.checksum()), text(r.bytesize()),
                        text(r.contentType()), text(r.width()), text(r.height()), text(r.dhash()), text(r.phash()),
                        text(name(r.camera(), "name")), text(lensName(r.lens())), text(r.error()));
                for (int i = 0; i < cells.size(); i++) {
                    if (i > 0) w.write(',');
                    w.write(Csv.cell(cells.get(i)));
                }
                w.write("\r\n");
            }
            w.flush();
        });
        w.flush();
    }

    void jsonl(String batchId, OutputStream out) throws IOException {
        JsonGenerator g = json.getFactory().createGenerator(out);
        g.setRootValueSeparator(null);
        forEachPage(batchId, page -> {
            for (Row r : page) {
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField("url", r.url());
                g.writeStringField("status", r.status());
                g.writeStringField("checksum", r.checksum());
                nullableNumber(g, "bytesize", r.bytesize());
                g.writeStringField("content_type", r.contentType());
                nullableNumber(g, "width", r.width());
                nullableNumber(g, "height", r.height());
                g.writeStringField("dhash", r.dhash());
                g.writeStringField("phash", r.phash());
                raw(g, "camera", r.camera());
                raw(g, "lens", r.lens());
                g.writeStringField("error", r.error());
                raw(g, "metadata", r.metadata());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        });
        g.flush();
    }

    private static void nullableNumber(JsonGenerator g, String field, Number n) throws IOException {
        if (n == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, n.longValue());
        }
    }

    /**
     * Our own stored JSON (metadata, camera, lens), written as it is but on one line: a raw line break in JSON can
     * only be whitespace between tokens (inside strings it is escaped), so it becomes a space, and values keep
     * ExifTool's exact text (no parse and re-print).
     */
    private static void raw(JsonGenerator g, String field, String value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeRawValue(value.indexOf('\n') < 0 && value.indexOf('\r') < 0 ? value
                    : value.replace('\n', ' ').replace('\r', ' '));
        }
    }

    private String name(String jsonText, String field) {
        if (jsonText == null) return null;
        try {
            JsonNode n = json.readTree(jsonText).get(field);
            return n == null || n.isNull() ? null : n.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** A lens's catalogue name, or as EXIF names it when the catalogue does not know it. */
    private String lensName(String lens) {
        String name = name(lens, "name");
        return name != null ? name : name(lens, "exif_name");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    interface PageWriter {
        void write(List<Row> page) throws IOException;
    }

    private void forEachPage(String batchId, PageWriter writer) throws IOException {
        int after = -1;
        while (true) {
            List<Row> page = new ArrayList<>(PAGE);
            after = page(batchId, after, page);
            if (page.isEmpty()) {
                return;
            }
            writer.write(page);
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    /** Fills {@code page} with the items after position {@code after}; the last position read. */
    private int page(String batchId, int after, List<Row> page) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select bi.position, bi.image_id, bi.url,
                            case when i.id is null and bi.position < b.fed then 'deleted' else coalesce(i.status, 'queued') end,
                            i.checksum, i.bytesize,
                            i.content_type, i.width, i.height, i.dhash, i.phash, i.camera, i.lens, i.error, i.metadata
                       from batch_items bi join batches b on b.id = bi.batch_id left join images i on i.id = bi.image_id
                      where bi.batch_id = ? and bi.position > ?
                      order by bi.position limit ?""")) {
            ps.setString(1, batchId);
            ps.setInt(2, after);
            ps.setInt(3, PAGE);
            int last = after;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getInt(1);
                    page.add(new Row(rs.getString(2).trim(), rs.getString(3), rs.getString(4), trim(rs.getString(5)),
                            (Long) rs.getObject(6), rs.getString(7), (Integer) rs.getObject(8),
                            (Integer) rs.getObject(9), trim(rs.getString(10)), trim(rs.getString(11)),
                            rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15)));
                }
            }
            return last;
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("Reading the results of batch " + batchId + " failed", e));
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
