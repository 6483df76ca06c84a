package dev.exifq.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Camera and lens look-ups for images and catalogue search, over the in-memory {@link Catalog}.
 *
 * <p>Matching input is the ExifTool metadata of one image, grouped ({@code exiftool -json -g -struct}). Search
 * pages count from 1; {@code size} is 1 to {@value #MAX_PAGE_SIZE}; other values throw
 * {@link IllegalArgumentException} (the REST layer answers 400).
 */
@ApplicationScoped
public class CatalogService {

    public static final int MAX_PAGE_SIZE = 100;
    private static final Pattern OR = Pattern.compile(" or ");

    // not final: ArC adds a no-args constructor to normal-scoped beans for their client proxy
    private Catalog catalog;

    @Inject
    public CatalogService(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The camera that took the image: the lensfun camera if lensfun has it, else the camera from a secondary list
     * (digicamdb compacts, Android and iOS devices) ({@code matched} true, the catalogue's name); else a view named
     * after the EXIF model ({@code matched} false). Empty if the metadata names no camera model.
     */
    public Optional<CameraView> matchCamera(JsonNode metadata) {
        ExifGear.CameraNames names = ExifGear.camera(metadata);
        if (names == null) return Optional.empty();
        Catalog.Camera c = catalog.findCamera(names.make(), names.model());
        for (int i = 0; c == null && i < names.alternativeModels().size(); i++) {
            c = catalog.findCamera(names.make(), names.alternativeModels().get(i));
        }
        // lensfun first (it has mounts and lenses); then the phone and compact lists for what lensfun lacks
        if (c == null) c = catalog.findSecondaryCamera(names.make(), names.model());
        for (int i = 0; c == null && i < names.alternativeModels().size(); i++) {
            c = catalog.findSecondaryCamera(names.make(), names.alternativeModels().get(i));
        }
        return Optional.of(c != null ? c.view : CameraView.unknown(displayMake(names.make()), names.model()));
    }

    /** The catalogue's spelling of a maker EXIF names ("NIKON CORPORATION" → Nikon), else EXIF's own, tidied. */
    private String displayMake(String exifMake) {
        if (exifMake == null || exifMake.isBlank()) return null;
        String known = catalog.allMakers().normalise(exifMake);
        return known != null ? known : exifMake.strip().replaceAll("\\s+", " ");
    }

    /**
     * The lens the image was taken with. {@code camera} (from {@link #matchCamera}, may be null) narrows the
     * search to the lenses its mount takes; a fixed-lens camera gets its built-in lens even when the metadata
     * names none. Unknown lenses come back named after the EXIF value with {@code matched} false; empty if the
     * metadata names no lens and the camera has no catalogued built-in lens.
     */
    public Optional<LensView> matchLens(JsonNode metadata, CameraView camera) {
        Catalog.Camera cam = camera == null || !camera.matched() ? null
                : catalog.camera(camera.makeSlug(), camera.slug()).orElse(null);
        List<String> strings = ExifGear.lensStrings(metadata);
        String exifName = exifName(strings);
        if (cam != null && cam.fixedLens) {
            if (cam.standardLens != null) return Optional.of(cam.standardLens.view.withExifName(exifName));
            return exifName == null ? Optional.empty()
                    : Optional.of(LensView.unknown(displayMake(ExifGear.lensMake(metadata)), exifName));
        }
        if (strings.isEmpty()) return Optional.empty();
        String lensMake = ExifGear.lensMake(metadata);
        Set<String> lensMakes = lensMake == null ? Set.of() : catalog.makers().resolve(lensMake);
        Set<String> mounts = cam == null || cam.allowedMounts.isEmpty() ? null : cam.allowedMounts;
        Catalog.LensMatch best = null;
        search:
        for (String s : strings) {
            // ExifTool's LensID lists the lenses a code can stand for: "Sigma 50mm F1.4 or Tamron ..."
            for (String alternative : OR.split(ExifGear.stripUnknown(s))) {
                Catalog.LensMatch m = catalog.findLens(alternative, mounts, lensMakes);
                if (m != null && (best == null || m.score() > best.score())) best = m;
                if (best != null && best.score() >= Catalog.EXACT) break search; // nothing scores higher
            }
        }
        if (best == null) return Optional.of(LensView.unknown(displayMake(lensMake), exifName));
        LensView view = best.lens().view.withExifName(exifName);
        String mount = cam == null ? null : mountOn(best.lens(), cam);
        return Optional.of(mount == null ? view : view.withMount(mount));
    }

    /** The mount of a multi-mount lens that fits this camera: the camera's own, else a compatible one. */
    private static String mountOn(Catalog.Lens lens, Catalog.Camera cam) {
        if (lens.mounts.size() < 2) return null;
        if (lens.mounts.contains(cam.mount)) return cam.mount;
        for (String m : lens.mounts) if (cam.allowedMounts.contains(m)) return m;
        return null;
    }

    /** {@link #searchCameras(String, String, int, int, Map)} for a caller without images. */
    public Page<CameraView> searchCameras(String q, String make, int page, int size) {
        return searchCameras(q, make, page, size, Map.of());
    }

    /**
     * Cameras whose make, name, EXIF model or other names contain every word of {@code q}; make by name or slug.
     * Order: the caller's own gear ({@code imageCounts} by {@code make_slug/slug}, most used first), then how well
     * the query matches ({@link SearchRank}), then interchangeable-lens bodies before compacts before phones,
     * then shorter names (less that was not typed), then make and name.
     */
    public Page<CameraView> searchCameras(String q, String make, int page, int size, Map<String, Long> imageCounts) {
        checkPaging(page, size);
        String makeSlug = make == null || make.isBlank() ? null : Text.slug(make);
        List<String> words = queryWords(q);
        SearchRank.Query query = SearchRank.Query.of(q);
        List<Ranked<Catalog.Camera>> hits = new ArrayList<>();
        for (Catalog.Camera c : catalog.camerasInListingOrder()) {
            if (makeSlug != null && !c.makeSlug.equals(makeSlug)) continue;
            if (!contains(c.searchText, c.searchKey, words)) continue;
            long used = imageCounts.isEmpty() ? 0 : imageCounts.getOrDefault(c.makeSlug + "/" + c.slug, 0L);
            int rank = query.isEmpty() ? 0
                    : rank(SearchRank.tier(query, c.rankKeys, c.rankWords), c.rankClass, firstLength(c.rankKeys));
            hits.add(new Ranked<>(c, used, rank));
        }
        // stable: equal ranks keep the listing order (make, name, slug)
        hits.sort(bestFirst());
        return page(hits, page, size, c -> c.view);
    }

    public Optional<CameraView> camera(String makeSlug, String slug) {
        return catalog.camera(makeSlug, slug).map(c -> c.view);
    }

    /** {@link #searchLenses(String, String, int, int, Map)} for a caller without images. */
    public Page<LensView> searchLenses(String q, String mount, int page, int size) {
        return searchLenses(q, mount, page, size, Map.of());
    }

    /**
     * Lenses whose make, name or EXIF names contain every word of {@code q}; mount by lensfun name or slug. Order:
     * the caller's own lenses ({@code imageCounts} by slug, most used first), then how well the query matches
     * ({@link SearchRank}), interchangeable lenses before compacts' built-in ones, shorter names, make and name.
     */
    public Page<LensView> searchLenses(String q, String mount, int page, int size, Map<String, Long> imageCounts) {
        checkPaging(page, size);
        String mountSlug = mount == null || mount.isBlank() ? null : Text.slug(mount);
        List<String> words = queryWords(q);
        SearchRank.Query query = SearchRank.Query.of(q);
        List<Ranked<Catalog.Lens>> hits = new ArrayList<>();
        for (Catalog.Lens l : catalog.lensesInListingOrder()) {
            if (mountSlug != null && l.mounts.stream().noneMatch(m -> Text.slug(m).equals(mountSlug))) continue;
            if (!contains(l.searchText, l.searchKey, words)) continue;
            long used = imageCounts.isEmpty() ? 0 : imageCounts.getOrDefault(l.slug, 0L);
            int rank = query.isEmpty() ? 0
                    : rank(SearchRank.tier(query, l.rankKeys, l.rankWords), l.fixed ? 1 : 0, firstLength(l.rankKeys));
            hits.add(new Ranked<>(l, used, rank));
        }
        hits.sort(bestFirst());
        return page(hits, page, size, l -> l.view);
    }

    public Optional<LensView> lens(String slug) {
        return catalog.lens(slug).map(l -> l.view);
    }

    /** Every make with its camera and lens counts, by name. */
    public List<MakeView> makes() {
        return catalog.makes();
    }

    /** Attribution to show with catalogue data (lensfun CC BY-SA 3.0, COLMAP BSD-3-Clause, device lists MIT). */
    public String attribution() {
        return catalog.attribution();
    }

    // ------------------------------------------------------------------ helpers

    /** A hit with how many of the caller's images used it and its {@link #rank}; lower ranks first. */
    private record Ranked<T>(T item, long used, int rank) {}

    private static <T> Comparator<Ranked<T>> bestFirst() {
        return Comparator.<Ranked<T>>comparingLong(r -> -r.used()).thenComparingInt(Ranked::rank);
    }

    private static int firstLength(String[] keys) {
        return keys.length == 0 ? 0 : keys[0].length();
    }

    /** One sortable number: the {@link SearchRank} tier, then the kind of gear, then the name's length. */
    private static int rank(int tier, int gearClass, int nameLength) {
        return tier * 1_000_000 + gearClass * 10_000 + Math.min(nameLength, 9_999);
    }

    /** The lens name to report: what the camera wrote, preferring a real name over ExifTool's "Unknown 18-55mm". */
    static String exifName(List<String> strings) {
        for (String s : strings) {
            if (!s.regionMatches(true, 0, "Unknown", 0, 7)) return s;
        }
        return strings.isEmpty() ? null : strings.get(0);
    }

    private static void checkPaging(int page, int size) {
        if (page < 1) throw new IllegalArgumentException("page counts from 1, got " + page);
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("size must be 1.." + MAX_PAGE_SIZE + ", got " + size);
        }
    }

    private static List<String> queryWords(String q) {
        List<String> out = new ArrayList<>();
        if (q == null) return out;
        for (String w : Text.WORD_SPLIT.split(Text.fold(q))) if (!w.isEmpty()) out.add(w);
        return out;
    }

    private static boolean contains(String text, String key, List<String> words) {
        for (String w : words) {
            if (!text.contains(w) && !key.contains(w)) return false;
        }
        return true;
    }

    private static <E, V> Page<V> page(List<Ranked<E>> hits, int page, int size, Function<E, V> view) {
        long from = (long) (page - 1) * size;
        List<V> items = new ArrayList<>();
        for (long i = from; i < hits.size() && i < from + size; i++) items.add(view.apply(hits.get((int) i).item()));
        return new Page<>(items, page, size, hits.size());
    }
}
