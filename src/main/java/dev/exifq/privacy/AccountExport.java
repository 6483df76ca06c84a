package dev.exifq.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.ApiKey;
import dev.exifq.accounts.ApiKeyView;
import dev.exifq.accounts.User;
import dev.exifq.accounts.UserView;
import dev.exifq.images.Image;
import dev.exifq.images.ImageView;
import dev.exifq.platform.ApiTime;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything we hold about a user as JSON Lines: the account, its API keys (masked), sessions, daily usage, then
 * every image's JSON. Images are read in keyset pages of {@link #PAGE}, each in its own short transaction and
 * written out before the next is read, so memory stays the same for ten images or a million.
 */
@ApplicationScoped
public class AccountExport {
    static final int PAGE = 200;

    private final EntityManager em;
    private final ObjectMapper json;

    public AccountExport(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    public StreamingOutput of(long userId) {
        return out -> write(userId, out);
    }

    private void write(long userId, OutputStream out) throws IOException {
        List<Object> head = QuarkusTransaction.requiringNew().call(() -> account(userId));
        for (Object line : head) {
            line(out, line);
        }
        String after = "";
        while (true) {
            String from = after;
            List<ImageView> page = QuarkusTransaction.requiringNew().call(() -> ImageView.ofAll(Image.<Image>find(
                            "userId = ?1 and id > ?2", Sort.by("id"), userId, from).page(0, PAGE).list()));
            for (ImageView image : page) {
                line(out, entry("image", image));
            }
            out.flush();
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private List<Object> account(long userId) {
        User user = User.findById(userId);
        if (user == null) {
            return List.of();
        }
        var lines = new java.util.ArrayList<Object>();
        Map<String, Object> account = entry("account", UserView.of(user));
        account.put("exported_at", ApiTime.format(Instant.now()));
        lines.add(account);
        ApiKey.<ApiKey>find("userId = ?1", Sort.by("createdAt"), userId).stream().forEach(k -> {
            Map<String, Object> key = entry("api_key", ApiKeyView.of(k));
            key.put("revoked_at", ApiTime.format(k.revokedAt));
            lines.add(key);
        });
        @SuppressWarnings("unchecked")
        List<Object[]> sessions = em.createNativeQuery("""
                select id, %s, %s, %s, ip, user_agent from sessions
                 where user_id = :id order by created_at""".formatted(millis("created_at"), millis("expires_at"),
                        millis("revoked_at"))).setParameter("id", userId).getResultList();
        for (Object[] s : sessions) {
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("id", s[0]);
            session.put("created_at", time(s[1]));
            session.put("expires_at", time(s[2]));
            session.put("revoked_at", time(s[3]));
            session.put("ip", s[4]);
            session.put("user_agent", s[5]);
            lines.add(entry("session", session));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> usage = em.createNativeQuery(
                "select cast(day as text), count from usage_daily where user_id = :id order by day")
                .setParameter("id", userId).getResultList();
        for (Object[] u : usage) {
            lines.add(entry("usage", Map.of("day", u[0], "images", u[1])));
        }
        return lines;
    }

    /** One line: {"type": type, type: value}. */
    private static Map<String, Object> entry(String type, Object value) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.put(type, value);
        return line;
    }

    private static String millis(String column) {
        return "cast(extract(epoch from " + column + ") * 1000 as bigint)";
    }

    private static String time(Object epochMillis) {
        return epochMillis == null ? null : ApiTime.format(Instant.ofEpochMilli(((Number) epochMillis).longValue()));
    }

    private void line(OutputStream out, Object value) throws IOException {
        byte[] bytes = json.writeValueAsBytes(value);
        // The image's metadata is ExifTool's JSON as stored, pretty-printed. A line break in valid JSON is only
        // ever whitespace between tokens (inside strings it is escaped), and UTF-8 has no 0x0A or 0x0D inside a
        // multi-byte character, so blanking them keeps the JSON and makes it one line.
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                bytes[i] = ' ';
            }
        }
        out.write(bytes);
        out.write('\n');
    }
}
