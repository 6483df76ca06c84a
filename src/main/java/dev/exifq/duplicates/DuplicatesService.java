package dev.exifq.duplicates;

import dev.exifq.hashing.Hamming;
import dev.exifq.hashing.Orientation;
import dev.exifq.hashing.OrientedHashes;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Exact and near duplicates within one user's library, straight on PostgreSQL (plain JDBC). */
@ApplicationScoped
public class DuplicatesService {
    private static final Logger LOG = Logger.getLogger(DuplicatesService.class);
    /** A page lists at most this many images; a bigger cluster is split over pages (see Cluster.offset). */
    static final int MAX_IMAGES_PER_PAGE = 2000;

    private final DataSource db;
    private final ClusterCache cache;

    public DuplicatesService(DataSource db, ClusterCache cache) {
        this.db = db;
        this.cache = cache;
    }

    /**
     * With {@code anyOrientation}, each of the image's eight orientations is looked up; an image hashed before
     * orientations were stored is looked up as it is, and the answer says orientation "same".
     */
    public ImageDuplicatesView forImage(long userId, String rawId, HashKind kind, int maxDistance, int limit,
            boolean anyOrientation) {
        String id = rawId == null ? null : rawId.toLowerCase(Locale.ROOT);
        if (!Ulid.isValid(id)) {
            throw ApiException.notFound("No image with this id.");
        }
        try (Connection c = db.getConnection()) {
            String status;
            String checksum;
            String hashError;
            Long hash;
            OrientedHashes oriented;
            try (PreparedStatement ps = c.prepareStatement("""
                    select i.status, i.checksum, i.hash_error, h.phash, h.dhash, h.oriented
                      from images i left join image_hashes h on h.image_id = i.id
                     where i.id = ? and i.user_id = ?""")) {
                ps.setString(1, id);
                ps.setLong(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("No image with this id.");
                    }
                    status = rs.getString(1);
                    checksum = rs.getString(2);
                    hashError = rs.getString(3);
                    long h = rs.getLong(kind == HashKind.PHASH ? 4 : 5);
                    hash = rs.wasNull() ? null : h;
                    oriented = OrientedHashes.fromBytes(rs.getBytes(6));
                }
            }
            if (!"processed".equals(status)) {
                throw new ApiException(409, "not_processed", "The image is " + status
                        + "; duplicates can be looked up once it is processed.", Map.of("status", status));
            }
            if (hash == null) {
                throw new ApiException(409, "no_hashes", "The image has no perceptual hashes, so it cannot be "
                        + "compared" + (hashError == null ? "." : ": " + hashError));
            }
            List<String> exact = exact(c, userId, id, checksum, limit + 1);
            HashIndex.Strategy strategy = HashIndex.choose(maxDistance, library(c, userId).hashedImages());
            if (anyOrientation && oriented != null) {
                Map<Orientation, HashIndex.Query> queries = new EnumMap<>(Orientation.class);
                for (Orientation o : Orientation.values()) {
                    long turned = kind == HashKind.PHASH ? oriented.phash(o) : oriented.dhash(o);
                    queries.put(o, HashIndex.Query.of(userId, kind, turned, maxDistance, limit + 1).excluding(id, checksum));
                }
                List<AnyOrientation.Found> near = AnyOrientation.find(c, queries, strategy, limit);
                return new ImageDuplicatesView(true, id, kind.column(), maxDistance, "any",
                        exact.subList(0, Math.min(limit, exact.size())), turned(c, userId, id, near, limit),
                        exact.size() > limit || near.size() > limit);
            }
            HashIndex.Query q = HashIndex.Query.of(userId, kind, hash, maxDistance, limit + 1).excluding(id, checksum);
            List<HashIndex.Match> near = HashIndex.find(c, q, strategy);
            boolean truncated = exact.size() > limit || near.size() > limit;
            return new ImageDuplicatesView(true, id, kind.column(), maxDistance, anyOrientation ? "same" : null,
                    exact.subList(0, Math.min(limit, exact.size())),
                    near.stream().limit(limit).map(SimilarImage::of).toList(), truncated);
        } catch (SQLException e) {
            throw new IllegalStateException("Duplicate lookup failed", e);
        }
    }

    /**
     * The first {@code limit} of {@code near} with their orientation and, where the query ({@code queryId}, null for
     * hashes sent by the caller) or the match has an EXIF orientation other than 1, their display orientation.
     */
    private static List<SimilarImage> turned(Connection c, long userId, String queryId, List<AnyOrientation.Found> near,
            int limit) throws SQLException {
        List<AnyOrientation.Found> shown = near.subList(0, Math.min(limit, near.size()));
        List<String> ids = new ArrayList<>();
        if (queryId != null) ids.add(queryId);
        for (AnyOrientation.Found f : shown) ids.add(f.match().id());
        Map<String, Orientation> exif = ExifOrientations.of(c, userId, ids);
        Orientation queryExif = queryId == null ? Orientation.IDENTITY : exif.getOrDefault(queryId, Orientation.IDENTITY);
        List<SimilarImage> out = new ArrayList<>();
        for (AnyOrientation.Found f : shown) {
            Orientation matchExif = exif.getOrDefault(f.match().id(), Orientation.IDENTITY);
            String display = queryExif == Orientation.IDENTITY && matchExif == Orientation.IDENTITY ? null
                    : AnyOrientation.displayed(f.turn(), queryExif, matchExif).apiName();
            out.add(new SimilarImage(f.match().id(), f.match().filename(), f.match().distance(), f.turn().apiName(),
                    display));
        }
        return out;
    }

    private static List<String> exact(Connection c, long userId, String id, String checksum, int limit)
            throws SQLException {
        List<String> out = new ArrayList<>();
        if (checksum == null) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select id from images
                 where user_id = ? and checksum = ? and status = 'processed' and id <> ?
                 order by id limit ?""")) {
            ps.setLong(1, userId);
            ps.setString(2, checksum);
            ps.setString(3, id);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * orientation=any: images near any of the eight orientations' hashes the caller sent ({@code phash} and/or
     * {@code dhash} by orientation); with both, within maxDistance on both in the same orientation.
     */
    public SearchView searchAnyOrientation(long userId, Map<Orientation, Long> phash, Map<Orientation, Long> dhash,
            int maxDistance, int limit) {
        Map<Orientation, HashIndex.Query> queries = new EnumMap<>(Orientation.class);
        for (Orientation o : Orientation.values()) {
            HashIndex.Query q = phash != null
                    ? HashIndex.Query.of(userId, HashKind.PHASH, phash.get(o), maxDistance, limit + 1)
                    : HashIndex.Query.of(userId, HashKind.DHASH, dhash.get(o), maxDistance, limit + 1);
            queries.put(o, phash != null && dhash != null ? q.alsoWithin(HashKind.DHASH, dhash.get(o)) : q);
        }
        try (Connection c = db.getConnection()) {
            List<AnyOrientation.Found> near = AnyOrientation.find(c, queries,
                    HashIndex.choose(maxDistance, library(c, userId).hashedImages()), limit);
            return new SearchView(true, maxDistance, "any", turned(c, userId, null, near, limit), near.size() > limit);
        } catch (SQLException e) {
            throw new IllegalStateException("Duplicate search failed", e);
        }
    }

    /** Images near {@code phash} (or {@code dhash}); with both, within maxDistance on both. */
    public SearchView search(long userId, Long phash, Long dhash, int maxDistance, int limit) {
        HashIndex.Query q = phash != null
                ? HashIndex.Query.of(userId, HashKind.PHASH, phash, maxDistance, limit + 1)
                : HashIndex.Query.of(userId, HashKind.DHASH, dhash, maxDistance, limit + 1);
        if (phash != null && dhash != null) {
            q = q.alsoWithin(HashKind.DHASH, dhash);
        }
        try (Connection c = db.getConnection()) {
            List<HashIndex.Match> near = HashIndex.find(c, q,
                    HashIndex.choose(maxDistance, library(c, userId).hashedImages()));
            return new SearchView(true, maxDistance, null, near.stream().limit(limit).map(SimilarImage::of).toList(),
                    near.size() > limit);
        } catch (SQLException e) {
            throw new IllegalStateException("Duplicate search failed", e);
        }
    }

    public ClusterPageView clusters(long userId, HashKind kind, int maxDistance, ClusterCursor cursor, int limit) {
        return clusters(userId, kind, maxDistance, false, cursor, limit);
    }

    /** With {@code any}, two images are near when one turned by some orientation is within maxDistance of the other. */
    public ClusterPageView clusters(long userId, HashKind kind, int maxDistance, boolean any, ClusterCursor cursor,
            int limit) {
        LibraryClusters all = cache.get(new ClusterCache.Key(userId, kind, maxDistance, any), library(userId).version(),
                asked -> compute(userId, kind, maxDistance, any));
        int cluster = 0;
        int offset = 0;
        if (cursor != null) {
            cluster = all.firstAtOrAfter(cursor.clusterId());
            if (cluster < all.clusterCount() && all.clusterId(cluster).equals(cursor.clusterId())) {
                offset = Math.min(cursor.offset(), all.size(cluster));
                if (offset == all.size(cluster)) {
                    cluster++;
                    offset = 0;
                }
            }
        }
        record Slice(int cluster, int from, int to) {}
        List<Slice> slices = new ArrayList<>();
        int budget = MAX_IMAGES_PER_PAGE;
        ClusterCursor next = null;
        while (cluster < all.clusterCount() && slices.size() < limit) {
            int remaining = all.size(cluster) - offset;
            if (remaining > budget && !slices.isEmpty()) {
                break;
            }
            int take = Math.min(remaining, budget);
            slices.add(new Slice(cluster, offset, offset + take));
            budget -= take;
            if (take < remaining) {
                next = new ClusterCursor(kind, maxDistance, all.clusterId(cluster), offset + take, any);
                break;
            }
            cluster++;
            offset = 0;
        }
        if (next == null && cluster < all.clusterCount()) {
            next = new ClusterCursor(kind, maxDistance, all.clusterId(cluster), 0, any);
        }
        List<String> ids = new ArrayList<>();
        for (Slice s : slices) {
            ids.add(all.clusterId(s.cluster()));
            for (int m = s.from(); m < s.to(); m++) ids.add(all.member(s.cluster(), m));
        }
        Map<String, String[]> details = details(userId, ids);
        Map<String, OrientedHashes> firstOriented = any ? oriented(userId,
                slices.stream().map(s -> all.clusterId(s.cluster())).toList()) : Map.of();
        List<ClusterPageView.Cluster> views = new ArrayList<>();
        for (Slice s : slices) {
            String[] first = details.get(all.clusterId(s.cluster()));
            String firstHash = first == null ? null : first[kind == HashKind.PHASH ? 2 : 3];
            OrientedHashes turns = firstOriented.get(all.clusterId(s.cluster()));
            List<ClusterPageView.Member> members = new ArrayList<>();
            for (int m = s.from(); m < s.to(); m++) {
                String memberId = all.member(s.cluster(), m);
                String[] d = details.get(memberId);
                if (d == null) {
                    continue; // deleted since the clusters were computed
                }
                String h = d[kind == HashKind.PHASH ? 2 : 3];
                Integer distance = h == null || firstHash == null ? null
                        : turns == null ? Hamming.distance(firstHash, h) : nearestTurn(turns, kind, Hamming.parse(h));
                members.add(new ClusterPageView.Member(memberId, d[0], d[1], distance));
            }
            views.add(new ClusterPageView.Cluster(all.clusterId(s.cluster()), all.size(s.cluster()), s.from(), members));
        }
        return new ClusterPageView(true, kind.column(), maxDistance, any ? "any" : null, all.clusterCount(),
                all.imageCount(), views, next == null ? null : next.encode());
    }

    private static int nearestTurn(OrientedHashes turns, HashKind kind, long hash) {
        int best = 64;
        for (Orientation o : Orientation.values()) {
            long t = kind == HashKind.PHASH ? turns.phash(o) : turns.dhash(o);
            best = Math.min(best, Long.bitCount(t ^ hash));
        }
        return best;
    }

    /** The stored orientations' hashes of the user's images by id (images hashed before they were stored left out). */
    private Map<String, OrientedHashes> oriented(long userId, List<String> ids) {
        Map<String, OrientedHashes> out = new HashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select image_id, oriented from image_hashes
                      where image_id = any(?::bpchar[]) and user_id = ? and oriented is not null""")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), OrientedHashes.fromBytes(rs.getBytes(2)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading cluster orientations failed", e);
        }
    }

    /** filename, checksum, phash, dhash of the user's images by id. */
    private Map<String, String[]> details(long userId, List<String> ids) {
        Map<String, String[]> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, filename, checksum, phash, dhash from images
                      where id = any(?::bpchar[]) and user_id = ?""")) {
            // bpchar[], as the column: a text[] would compare id::text and skip the primary key
            ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new String[]{rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)});
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading cluster members failed", e);
        }
    }

    /** A user's library version and hash count, kept by V4__duplicates.sql's triggers; zeros before any. */
    record Library(long version, long hashedImages) {}

    Library library(long userId) {
        try (Connection c = db.getConnection()) {
            return library(c, userId);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the library version failed", e);
        }
    }

    static Library library(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select version, hashed_images from duplicate_library_versions where user_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Library(rs.getLong(1), rs.getLong(2)) : new Library(0, 0);
            }
        }
    }

    LibraryClusters compute(long userId, HashKind kind, int maxDistance, boolean any) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                LibraryClusters result = compute(c, userId, kind, maxDistance, any);
                c.commit();
                LOG.debugf("Clusters for user %d (%s, %d): %d images read in %d ms, %d clusters found in %d ms", userId,
                        kind.column(), maxDistance, result.libraryImages(), result.readMillis(), result.clusterCount(),
                        result.clusterMillis());
                return result;
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Computing duplicate clusters failed", e);
        }
    }

    /**
     * Reads the library in one snapshot (the caller's transaction should be REPEATABLE READ, so the version
     * and the rows agree) and clusters it. Used by the endpoint and by the benchmark. The hashes come from
     * image_hashes alone (a row there means the image is processed: processed images are never claimed
     * again), and images without hashes join only through their exact groups.
     */
    static LibraryClusters compute(Connection c, long userId, HashKind kind, int maxDistance) throws SQLException {
        return compute(c, userId, kind, maxDistance, false);
    }

    /**
     * With {@code any}, each image also brings the hashes of its other orientations (where stored), all standing for
     * the same node: two images join when some orientation of one is near some orientation of the other, which up to
     * the resampler's rounding is one of them turned near the other as it is.
     */
    static LibraryClusters compute(Connection c, long userId, HashKind kind, int maxDistance, boolean any)
            throws SQLException {
        long started = System.nanoTime();
        long version = library(c, userId).version();
        int m = 0;
        byte[] hashedIds = new byte[1024 * LibraryClusters.ID_LENGTH];
        long[] hashes = new long[1024];
        OrientedHashes[] turns = any ? new OrientedHashes[1024] : null;
        try (PreparedStatement ps = c.prepareStatement("select image_id, " + kind.column() + (any ? ", oriented" : "")
                + " from image_hashes where user_id = ? order by image_id collate \"C\"")) {
            ps.setFetchSize(10_000);
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (m == hashes.length) {
                        hashes = Arrays.copyOf(hashes, m * 2);
                        hashedIds = Arrays.copyOf(hashedIds, m * 2 * LibraryClusters.ID_LENGTH);
                        if (any) turns = Arrays.copyOf(turns, m * 2);
                    }
                    byte[] id = rs.getString(1).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(id, 0, hashedIds, m * LibraryClusters.ID_LENGTH, LibraryClusters.ID_LENGTH);
                    if (any) turns[m] = OrientedHashes.fromBytes(rs.getBytes(3));
                    hashes[m++] = rs.getLong(2);
                }
            }
        }
        List<String[]> groups = new ArrayList<>();
        TreeSet<String> hashless = new TreeSet<>();
        // repeated checksums first, from (user_id, checksum) alone; rows (for status and id) only for those
        try (PreparedStatement ps = c.prepareStatement("""
                select array_agg(id::text) from images
                 where user_id = ? and status = 'processed' and checksum in (
                       select checksum from images where user_id = ? and checksum is not null
                        group by checksum having count(*) > 1)
                 group by checksum having count(*) > 1""")) {
            ps.setLong(1, userId);
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] group = (String[]) rs.getArray(1).getArray();
                    groups.add(group);
                    for (String id : group) {
                        if (indexOf(hashedIds, m, id) < 0) hashless.add(id);
                    }
                }
            }
        }
        // all nodes in id order: the hashed ones merged with the hashless members of exact groups
        int n = m + hashless.size();
        byte[] ids = new byte[n * LibraryClusters.ID_LENGTH];
        int[] hashed = new int[m];
        Iterator<String> extra = hashless.iterator();
        byte[] nextExtra = extra.hasNext() ? extra.next().getBytes(StandardCharsets.US_ASCII) : null;
        for (int node = 0, h = 0; node < n; node++) {
            int at = node * LibraryClusters.ID_LENGTH;
            boolean takeHashed = h < m && (nextExtra == null || Arrays.compare(hashedIds, h * LibraryClusters.ID_LENGTH,
                    (h + 1) * LibraryClusters.ID_LENGTH, nextExtra, 0, nextExtra.length) < 0);
            if (takeHashed) {
                System.arraycopy(hashedIds, h * LibraryClusters.ID_LENGTH, ids, at, LibraryClusters.ID_LENGTH);
                hashed[h++] = node;
            } else {
                System.arraycopy(nextExtra, 0, ids, at, LibraryClusters.ID_LENGTH);
                nextExtra = extra.hasNext() ? extra.next().getBytes(StandardCharsets.US_ASCII) : null;
            }
        }
        int[][] exact = new int[groups.size()][];
        for (int g = 0; g < exact.length; g++) {
            String[] group = groups.get(g);
            exact[g] = new int[group.length];
            for (int i = 0; i < group.length; i++) exact[g][i] = indexOf(ids, n, group[i]);
        }
        long read = System.nanoTime();
        int[] entryNodes = hashed;
        long[] entryHashes = Arrays.copyOf(hashes, m);
        if (any) {
            int[] nodes = Arrays.copyOf(hashed, m * 8);
            long[] all = Arrays.copyOf(entryHashes, m * 8);
            int e = m;
            for (int i = 0; i < m; i++) {
                if (turns[i] == null) continue;
                for (Orientation o : Orientation.values()) {
                    if (o == Orientation.IDENTITY) continue;
                    nodes[e] = hashed[i];
                    all[e++] = kind == HashKind.PHASH ? turns[i].phash(o) : turns[i].dhash(o);
                }
            }
            entryNodes = Arrays.copyOf(nodes, e);
            entryHashes = Arrays.copyOf(all, e);
        }
        ClusterFinder.Result r = ClusterFinder.find(n, entryNodes, entryHashes, exact, maxDistance);
        return LibraryClusters.of(version, ids, r, n, (read - started) / 1_000_000,
                (System.nanoTime() - read) / 1_000_000);
    }

    /** Node index of {@code id} in ids sorted bytewise (26 bytes per id), or -1. */
    static int indexOf(byte[] ids, int n, String id) {
        byte[] key = id.getBytes(StandardCharsets.US_ASCII);
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int from = mid * LibraryClusters.ID_LENGTH;
            int cmp = Arrays.compare(ids, from, from + LibraryClusters.ID_LENGTH, key, 0, key.length);
            if (cmp < 0) lo = mid + 1;
            else if (cmp > 0) hi = mid - 1;
            else return mid;
        }
        return -1;
    }
}
