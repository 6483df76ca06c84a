package dev.exifq.batches;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.billing.Usage;
import dev.exifq.idempotency.IdempotencyKeys;
import dev.exifq.images.EditStep;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stores batches and reads them back. A batch, its items and one unit of the daily limit per item are written
 * in one transaction, with a few statements whatever the size: over what is left of today's limit, the whole
 * batch is refused (429) and nothing is kept, as a bulk upload is.
 */
@ApplicationScoped
public class Batches {
    private static final String SCOPE = "batches";

    private final EntityManager em;
    private final Usage usage;
    private final IdempotencyKeys idempotency;
    private final EditStep editStep;
    private final ObjectMapper json;

    public Batches(EntityManager em, Usage usage, IdempotencyKeys idempotency, EditStep editStep, ObjectMapper json) {
        this.em = em;
        this.usage = usage;
        this.idempotency = idempotency;
        this.editStep = editStep;
        this.json = json;
    }

    /** The batch, and whether this request made it (false: an Idempotency-Key replay of an earlier one). */
    record Created(BatchView.Accepted batch, boolean isNew) {}

    @Transactional
    Created create(long userId, BatchRequest request, String idempotencyKey) {
        String id = Ulid.next();
        String edit = request.edit() == null ? null : editStep.toJson(request.edit());
        if (idempotencyKey != null) {
            Optional<String> earlier = idempotency.claim(userId, new IdempotencyKeys.Request(SCOPE, idempotencyKey,
                    requestHash(request, edit)), id);
            if (earlier.isPresent()) {
                BatchView b = find(userId, earlier.get()).orElseThrow(() -> ApiException.notFound(
                        "The batch made with this " + IdempotencyKeys.HEADER + " is gone."));
                return new Created(new BatchView.Accepted(b.id(), b.status(), b.total()), false);
            }
        }
        List<String> imageIds = new ArrayList<>(request.urls().size());
        for (int i = 0; i < request.urls().size(); i++) {
            imageIds.add(Ulid.next());
        }
        usage.reserve(userId, imageIds); // 429 over the limit: the transaction, and so the batch, is rolled back
        em.createNativeQuery("""
                        insert into batches (id, user_id, status, total, callback_url, edit, created_at)
                        values (:id, :user, 'queued', :total, :callback, :edit, now())""")
                .setParameter("id", id).setParameter("user", userId).setParameter("total", request.urls().size())
                .setParameter("callback", request.callbackUrl()).setParameter("edit", edit)
                .executeUpdate();
        String urls;
        try {
            urls = json.writeValueAsString(request.urls());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // every item in one statement: the URLs as one JSON array, the image ids (ULIDs, no commas) as one list
        em.createNativeQuery("""
                        insert into batch_items (batch_id, position, url, image_id)
                        select :id, cast(u.ord as integer) - 1, u.url, i.id
                          from jsonb_array_elements_text(cast(:urls as jsonb)) with ordinality as u(url, ord)
                          join unnest(string_to_array(:ids, ',')) with ordinality as i(id, ord) using (ord)""")
                .setParameter("id", id).setParameter("urls", urls).setParameter("ids", String.join(",", imageIds))
                .executeUpdate();
        return new Created(new BatchView.Accepted(id, "queued", request.urls().size()), true);
    }

    private static String requestHash(BatchRequest request, String edit) {
        List<String> parts = new ArrayList<>(request.urls().size() + 3);
        parts.add("batch");
        parts.add(request.callbackUrl());
        parts.add(edit);
        parts.addAll(request.urls());
        return IdempotencyKeys.hash(parts.toArray(new String[0]));
    }

    /** The caller's batch; empty for unknown ids and other users' batches. */
    @Transactional
    public Optional<BatchView> find(long userId, String rawId) {
        String id = rawId == null ? null : rawId.toLowerCase(Locale.ROOT);
        if (!Ulid.isValid(id)) {
            return Optional.empty();
        }
        List<?> rows = em.createNativeQuery("""
                        select b.id, b.status, b.total, b.processed, b.failed, b.created_at, b.completed_at,
                               (select count(*) from images i where i.batch_id = b.id and i.status = 'processing')
                          from batches b where b.id = :id and b.user_id = :user""")
                .setParameter("id", id).setParameter("user", userId).getResultList();
        return rows.stream().map(r -> view((Object[]) r)).findFirst();
    }

    /** The caller's batch id, normalised; 404 for unknown ids and other users' batches. */
    String owned(long userId, String rawId) {
        return find(userId, rawId).orElseThrow(() -> ApiException.notFound("No batch with this id.")).id();
    }

    static BatchView view(Object[] r) {
        return BatchView.of(r[0].toString().trim(), r[1].toString(), ((Number) r[2]).intValue(),
                ((Number) r[7]).intValue(), ((Number) r[3]).intValue(), ((Number) r[4]).intValue(), instant(r[5]),
                instant(r[6]));
    }

    static Instant instant(Object value) {
        if (value == null) return null;
        if (value instanceof Timestamp t) return t.toInstant();
        if (value instanceof OffsetDateTime o) return o.toInstant();
        return (Instant) value;
    }
}
