package dev.exifq.billing;

import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Daily image usage, counted per user per UTC day (the database's clock decides the day, so every replica
 * agrees) and shared by the web and the API.
 * <p>
 * A unit is reserved when an image is submitted, before anything is stored: one upsert that only
 * increments while the count stays within the plan's limit. PostgreSQL serialises concurrent upserts of the
 * same (user, day) row and re-checks the condition on the latest row, so N concurrent requests with one unit
 * left admit exactly one, on any number of replicas. Each reservation is recorded by image id; giving a unit
 * back deletes that record first, which makes refunds idempotent.
 */
@ApplicationScoped
public class Usage {
    private static final String TODAY = "cast(now() at time zone 'UTC' as date)";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final EntityManager em;
    private final DataSource db;
    private final Plans plans;
    private final CurrentUser caller;

    public Usage(EntityManager em, DataSource db, Plans plans, CurrentUser caller) {
        this.em = em;
        this.db = db;
        this.plans = plans;
        this.caller = caller;
    }

    /** Today's count for a user, with the limit that applies (null: unlimited) and when the count resets. */
    public record Today(int today, Integer limit, Instant resetsAt) {}

    /**
     * Reserves one unit per image id for the user, all or nothing, in the caller's transaction.
     *
     * @throws ApiException 429 limit_reached when the images do not fit in what is left of today's limit
     */
    @Transactional
    public void reserve(long userId, List<String> imageIds) {
        reserveWith(userId, imageIds, null);
    }

    /**
     * Rows a caller writes only when their units are reserved, in the reservation's own statement: an
     * {@code insert ... select ... from counted}, where {@code counted} has one row when the units were reserved
     * and none when not.
     */
    public interface ReservedRows {
        String insertFromCounted();

        /** Binds the insert's parameters, the first at {@code index}. */
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    /**
     * {@link #reserve}, with the caller's rows written by the same statement. Plain JDBC, and no transaction of
     * its own: in the caller's when there is one, otherwise the statement is atomic by itself, and the
     * (user, day) row is locked only while it runs (an acceptance's transaction held it across four round trips).
     * The owner's plan comes from the request's credentials when the owner is the caller (otherwise it is read
     * first), then the count, the reservations and the rows are one statement.
     *
     * @param rows null: the reservation alone
     * @throws ApiException 429 limit_reached when the images do not fit in what is left of today's limit; the
     *                      rows are then not written
     */
    public void reserveWith(long userId, List<String> imageIds, ReservedRows rows) {
        if (imageIds.isEmpty()) {
            return;
        }
        boolean fromCaller = isCaller(userId);
        try (Connection c = db.getConnection()) {
            Integer limit = fromCaller ? plans.dailyLimit(caller.role(), caller.plan()) : dailyLimit(c, userId);
            int n = imageIds.size();
            if (limit != null && n > limit) {
                throw limitReached(limit);
            }
            // one statement for all, so a batch of 10,000 is not 10,000 round trips (ids are ULIDs: no commas);
            // no reservation rows (nor the caller's) unless the count was raised
            try (PreparedStatement ps = c.prepareStatement("""
                    with counted as (
                      insert into usage_daily as u (user_id, day, count)
                      values (?, %s, ?)
                      on conflict (user_id, day) do update set count = u.count + excluded.count
                       where u.count + excluded.count <= ?
                      returning day),
                    reserved as (
                      insert into usage_reservations (image_id, user_id, day)
                      select unnest(string_to_array(?, ',')), ?, day from counted)%s
                    select 1 from counted""".formatted(TODAY,
                    rows == null ? "" : ",\nwritten as (" + rows.insertFromCounted() + ")"))) {
                ps.setLong(1, userId);
                ps.setInt(2, n);
                ps.setInt(3, limit == null ? Integer.MAX_VALUE : limit);
                ps.setString(4, String.join(",", imageIds));
                ps.setLong(5, userId);
                if (rows != null) {
                    rows.bind(ps, 6);
                }
                try (ResultSet counted = ps.executeQuery()) {
                    if (!counted.next()) {
                        throw limitReached(limit);
                    }
                }
            }
        } catch (SQLException e) {
            if (fromCaller && FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                // the account went away since its credentials were checked: as the plan's read would have said
                throw new ApiException(401, "unauthorized", "Authentication required.");
            }
            throw new IllegalStateException("Could not reserve daily units", e);
        }
    }

    /**
     * Whether this request's caller is the owner: their credentials' lookup read the role and plan a moment ago,
     * in the same request, so the acceptance needs no round trip of its own to read them again (issue 19).
     */
    private boolean isCaller(long userId) {
        return Arc.container().requestContext().isActive() && caller.isPresent() && caller.id() == userId
                && caller.role() != null;
    }

    private Integer dailyLimit(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select role, plan from users where id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet user = ps.executeQuery()) {
                if (!user.next()) {
                    throw new ApiException(401, "unauthorized", "Authentication required.");
                }
                return plans.dailyLimit(user.getString(1), user.getString(2));
            }
        }
    }

    /**
     * Gives back the units these images reserved, to the day they were reserved on. Images without a
     * reservation (admins' before this existed, or already refunded) are skipped, so calling it twice is safe.
     *
     * @return the number of units given back
     */
    @Transactional
    public int refund(Collection<String> imageIds) {
        if (imageIds.isEmpty()) {
            return 0;
        }
        return ((Number) em.createNativeQuery("""
                with r as (delete from usage_reservations where image_id in (:ids) returning user_id, day),
                     c as (select user_id, day, count(*) as n from r group by user_id, day),
                     u as (update usage_daily d set count = greatest(d.count - c.n, 0)
                             from c where d.user_id = c.user_id and d.day = c.day)
                select coalesce(sum(n), 0) from c""")
                .setParameter("ids", imageIds)
                .getSingleResult()).intValue();
    }

    /** Today's usage of a user whose role and plan the caller already knows. */
    @Transactional
    public Today today(long userId, String role, String planId) {
        Object[] row = (Object[]) em.createNativeQuery("""
                select cast(%s as text), coalesce((select count from usage_daily where user_id = :user and day = %s), 0)"""
                .formatted(TODAY, TODAY))
                .setParameter("user", userId)
                .getSingleResult();
        LocalDate day = LocalDate.parse(row[0].toString());
        return new Today(((Number) row[1]).intValue(), plans.dailyLimit(role, planId),
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private ApiException limitReached(int limit) {
        return new ApiException(429, "limit_reached",
                "Daily limit of " + limit + " images reached. Upgrade your plan for more.",
                Map.of("upgradeUrl", plans.upgradeUrl()));
    }
}
