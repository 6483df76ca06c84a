package dev.exifq.images;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GET /v1/images: the caller's images, newest first, a page at a time. The cursor is the last image's
 * (created_at, id), opaque to clients: a page is one keyset query however deep it is, and images arriving
 * meanwhile never shift the pages after it.
 */
@ApplicationScoped
public class ImageListing {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    private static final Set<String> STATUSES = Set.of(Image.QUEUED, Image.PROCESSING, Image.PROCESSED, Image.FAILED);

    @JsonPropertyOrder({"images", "next_cursor"})
    @Schema(name = "ImagePage", description = "One page of your images, newest first")
    public record Page(List<ImageView> images,
                       @Schema(description = "Pass as 'cursor' for the next page; null on the last page") String next_cursor) {
    }

    record Cursor(Instant createdAt, String id) {
        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
        }

        static Cursor decode(String value) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII).split(":");
                if (parts.length == 2 && Ulid.isValid(parts[1])) {
                    return new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), parts[1]);
                }
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                // below
            }
            throw ApiException.badRequest("invalid_cursor", "'cursor' must be the next_cursor of a previous page.");
        }
    }

    @Transactional
    public Page list(long userId, String batch, String status, String cursor, String limit) {
        int max = limit(limit);
        StringBuilder q = new StringBuilder("userId = :user");
        Parameters p = Parameters.with("user", userId);
        if (batch != null && !batch.isEmpty()) {
            String b = batch.toLowerCase(Locale.ROOT);
            if (!Ulid.isValid(b)) {
                throw ApiException.badRequest("invalid_batch", "'batch' must be a batch id.");
            }
            q.append(" and batchId = :batch");
            p.and("batch", b);
        }
        if (status != null && !status.isEmpty()) {
            if (!STATUSES.contains(status)) {
                throw ApiException.badRequest("invalid_status", "'status' must be queued, processing, processed or failed.");
            }
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (cursor != null && !cursor.isEmpty()) {
            Cursor c = Cursor.decode(cursor);
            q.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            p.and("at", c.createdAt()).and("id", c.id());
        }
        List<Image> images = Image.<Image>find(q.toString(), Sort.descending("createdAt", "id"), p)
                .range(0, max).list(); // one more than a page: whether there is a next one
        boolean more = images.size() > max;
        List<Image> page = more ? images.subList(0, max) : images;
        Image last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new Page(ImageView.ofAll(page), more ? new Cursor(last.createdAt, last.id).encode() : null);
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT && value.chars().allMatch(Character::isDigit)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("invalid_limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
    }
}
