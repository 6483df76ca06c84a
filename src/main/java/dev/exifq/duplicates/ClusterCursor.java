package dev.exifq.duplicates;

import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of clusters starts: the cluster's key (its oldest image's id) and how many of its
 * images earlier pages already listed. A key rather than a page number, so a cursor still means "after
 * what you have seen" when the library changed between pages and the clusters were recomputed.
 * Opaque to clients: base64url of {@code c1.<hash>.<max_distance>.<cluster id>.<offset>}, with {@code .any} after
 * it for orientation=any.
 */
record ClusterCursor(HashKind kind, int maxDistance, String clusterId, int offset, boolean anyOrientation) {

    ClusterCursor(HashKind kind, int maxDistance, String clusterId, int offset) {
        this(kind, maxDistance, clusterId, offset, false);
    }

    String encode() {
        String raw = "c1." + kind.column() + "." + maxDistance + "." + clusterId + "." + offset + (anyOrientation ? ".any" : "");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    static ClusterCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
            String[] parts = raw.split("\\.", -1);
            boolean any = parts.length == 6 && parts[5].equals("any");
            if ((parts.length != 5 && !any) || !parts[0].equals("c1") || !Ulid.isValid(parts[3])) {
                throw invalid();
            }
            HashKind kind = HashKind.parse(parts[1]);
            int distance = Integer.parseInt(parts[2]);
            int offset = Integer.parseInt(parts[4]);
            if (!parts[1].equals(kind.column()) || distance < 0 || distance > Params.MAX_MAX_DISTANCE || offset < 0) {
                throw invalid();
            }
            return new ClusterCursor(kind, distance, parts[3], offset, any);
        } catch (IllegalArgumentException | ApiException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest("invalid_cursor", "'cursor' is not a cursor this endpoint returned.");
    }
}
