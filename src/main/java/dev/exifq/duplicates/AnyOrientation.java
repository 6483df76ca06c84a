package dev.exifq.duplicates;

import dev.exifq.hashing.Orientation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * orientation=any: the band index probed once per orientation of the query (its eight hashes against the stored
 * hashes of the images as they are), each image kept at its nearest orientation, identity first on ties.
 */
final class AnyOrientation {
    /** @param turn the turn that maps the match onto the query */
    record Found(HashIndex.Match match, Orientation turn) {}

    private AnyOrientation() {}

    /**
     * @param queries the query of each orientation of the query image (hash of the query turned by it), each with
     *                limit + 1 as its limit; iterated in EXIF order, identity first
     * @return at most {@code limit} images (one more when there are more), nearest first, ties by id
     */
    static List<Found> find(Connection c, Map<Orientation, HashIndex.Query> queries, HashIndex.Strategy strategy,
            int limit) throws SQLException {
        Map<String, Found> best = new HashMap<>();
        for (Orientation o : Orientation.values()) {
            HashIndex.Query q = queries.get(o);
            if (q == null) {
                continue;
            }
            for (HashIndex.Match m : HashIndex.find(c, q, strategy)) {
                Found seen = best.get(m.id());
                if (seen == null || m.distance() < seen.match().distance()) {
                    // the query turned by o is near the match: the match turned back by o's inverse is the query
                    best.put(m.id(), new Found(m, o.inverse()));
                }
            }
        }
        // each probe's list is cut at limit + 1 by (distance, id); an image cut from its best list has limit + 1
        // others at least as near ahead of it, so the merged first limit + 1 are right
        List<Found> out = new ArrayList<>(best.values());
        out.sort(Comparator.comparingInt((Found f) -> f.match().distance()).thenComparing(f -> f.match().id()));
        return out.subList(0, Math.min(out.size(), limit + 1));
    }

    /**
     * The turn that maps the match's displayed image onto the query's: each displayed image is its pixels turned
     * by its EXIF orientation, so it is the match's display undone, then the turn between the pixels, then the
     * query's display.
     */
    static Orientation displayed(Orientation turn, Orientation queryExif, Orientation matchExif) {
        return matchExif.inverse().then(turn).then(queryExif);
    }
}
