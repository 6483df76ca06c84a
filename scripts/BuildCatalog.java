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
 * <p>Usage: {@code java scripts/BuildCatalog.java <lensfun dir> <out.json>} (JDK 17, no dependencies).
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
        if (args.length != 2) {
            System.err.println("usage: java scripts/BuildCatalog.java <lensfun dir> <out.json>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
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

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", 1);
        doc.put("attribution", attribution);
        doc.put("counts", Map.of("lensfun_cameras", rawCameras, "lensfun_lenses", rawLenses,
                "cameras", cameras.size(), "lenses", lenses.size(), "mounts", mounts.size()));
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
        doc.put("mounts", mountList);
        doc.put("cameras", cameras);
        doc.put("lenses", new ArrayList<>(lenses.values()));

        StringBuilder sb = new StringBuilder();
        writeTop(sb, doc);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        System.err.printf("wrote %s: %d cameras (%d in lensfun), %d lenses (%d in lensfun), %d mounts%n",
                out, cameras.size(), rawCameras, lenses.size(), rawLenses, mounts.size());
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
