package dev.exifq.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model-name normalisation shared by the matcher ({@link Catalog}) and the catalogue build
 * ({@code scripts/BuildCatalog.java}, which compiles this class with {@link Text} and {@link Makers}), so that the
 * build merges secondary cameras with exactly the keys the matcher looks up. JDK only: the build needs no Maven.
 *
 * <p>Every rule here is a rule about how a maker writes its EXIF model names, or how the digicamdb crawl in
 * COLMAP's sensor database spells them; each is unit-tested in {@code ModelKeysTest} with counter-examples.
 */
public final class ModelKeys {

    private ModelKeys() {}

    /**
     * Series names digicamdb writes in front of a maker's models that the camera itself often leaves out of EXIF:
     * Kodak writes {@code KODAK CX7530 ZOOM DIGITAL CAMERA} for the "EasyShare CX7530", Sony {@code DSC-D700} for
     * the "Cyber-shot DSC-D700", Ricoh (with Make {@code Caplio}) {@code RR330} for the "Caplio RR330", Casio
     * {@code EX-M2} for the "Exilim EX-M2". Keyed by display make; longest first within a make.
     */
    static final Map<String, List<String>> SERIES = Map.ofEntries(
            Map.entry("Canon", List.of("digitalixus", "powershot", "ixus", "eos")),
            Map.entry("Casio", List.of("exilim")),
            Map.entry("Fujifilm", List.of("finepix")),
            Map.entry("HP", List.of("photosmart")),
            Map.entry("Kodak", List.of("easyshare")),
            Map.entry("Konica Minolta", List.of("dimage")),
            Map.entry("Minolta", List.of("dimage")),
            Map.entry("Nikon", List.of("coolpix")),
            Map.entry("Olympus", List.of("stylus", "mju")),
            Map.entry("Panasonic", List.of("lumix")),
            Map.entry("Pentax", List.of("optio")),
            Map.entry("Ricoh", List.of("caplio")),
            Map.entry("Samsung", List.of("digimax")),
            Map.entry("Sanyo", List.of("xacti")),
            Map.entry("Sony", List.of("cybershot", "alpha")));

    /**
     * Trailing words one side may write and the other not. Fujifilm and digicamdb disagree on "Zoom": the camera
     * writes {@code MX-1700ZOOM} where digicamdb has {@code mx1700}, digicamdb has {@code finepixe500zoom} where the
     * camera writes {@code FinePix E500}. Only Fujifilm: Canon sold a "PowerShot A5" and a "PowerShot A5 Zoom".
     */
    static final Map<String, List<String>> OPTIONAL_SUFFIX = Map.of("Fujifilm", List.of("zoom"));

    private static final Pattern ANGLE = Pattern.compile("^<(.*)>$");
    private static final Pattern PAREN_SUFFIX = Pattern.compile("\\s*\\([^)]*\\)\\s*$");
    private static final Pattern CAMERA_SUFFIX = Pattern.compile("(?i)\\s+(zoom\\s+)?digital\\s+camera$");
    private static final Pattern NIKON_E = Pattern.compile("^e(\\d{3,4})$");
    private static final Pattern OLYMPUS_U = Pattern.compile("^(?:u|mju)(\\d.*|mini.*)$");
    private static final Pattern OLYMPUS_Z = Pattern.compile("^([a-z]+\\d+)z$");
    private static final Pattern HAS_DIGIT = Pattern.compile("\\d");

    /** Model comparison key without a repeated maker prefix: "Canon EOS 40D" → "eos40d", "NIKON D70" → "d70". */
    public static String modelKey(String model, Set<String> makerWords) {
        String[] words = Text.WORD_SPLIT.split(Text.fold(model));
        int start = 0;
        while (start < words.length && words[start].isEmpty()) start++;
        while (start < words.length - 1 && makerWords.contains(words[start])) start++;
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < words.length; i++) sb.append(words[i]);
        return sb.toString();
    }

    /**
     * The key with a maker's series prefix and optional suffix removed ("easysharecx7530" → "cx7530" for Kodak,
     * "finepixe500zoom" → "e500" for Fujifilm), or null when nothing with a digit would remain: a series name
     * alone ("digitalixus") is a model, not a code, and is only matched exactly.
     */
    public static String tolerantKey(String key, String make) {
        if (key == null || key.isEmpty()) return null;
        String k = key;
        for (String s : SERIES.getOrDefault(make, List.of())) {
            if (k.length() > s.length() && k.startsWith(s)) {
                k = k.substring(s.length());
                break;
            }
        }
        for (String s : OPTIONAL_SUFFIX.getOrDefault(make, List.of())) {
            if (k.length() > s.length() && k.endsWith(s)) {
                k = k.substring(0, k.length() - s.length());
                break;
            }
        }
        return HAS_DIGIT.matcher(k).find() ? k : null;
    }

    /**
     * The exact-match keys an EXIF model stands for, best first: the whole model; then its parts, as makers write
     * them: {@code <Digimax i50 MP3, Samsung #1 MP3>} (Samsung Techwin: angle brackets, names for several markets),
     * {@code u1020,S1020} (Olympus: comma-separated market names), {@code DC210 Zoom (V05.00)} (firmware in
     * parentheses), {@code KODAK DX4900 ZOOM DIGITAL CAMERA} (a description after the name); then each key
     * rewritten by the maker's own conventions ({@link #rewrites}).
     */
    public static List<String> queryKeys(String model, String make, Set<String> makerWords) {
        Set<String> strings = new LinkedHashSet<>();
        String m = Text.clean(model);
        if (m == null) return List.of();
        strings.add(m);
        Matcher angle = ANGLE.matcher(m);
        if (angle.matches()) m = angle.group(1).strip();
        List<String> parts = new ArrayList<>();
        parts.add(m);
        if (m.indexOf(',') > 0) {
            for (String p : m.split(",")) if (!p.isBlank()) parts.add(p.strip());
        }
        for (String p : parts) {
            strings.add(p);
            String noParen = PAREN_SUFFIX.matcher(p).replaceFirst("");
            if (!noParen.isEmpty()) strings.add(noParen);
            Matcher suffix = CAMERA_SUFFIX.matcher(noParen);
            if (suffix.find()) {
                String withoutDescription = noParen.substring(0, suffix.start());
                if (suffix.group(1) != null) strings.add(withoutDescription + " zoom");
                strings.add(withoutDescription);
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String s : strings) {
            String k = modelKey(s, makerWords);
            if (!k.isEmpty()) keys.add(k);
        }
        Set<String> out = new LinkedHashSet<>(keys);
        for (String k : keys) out.addAll(rewrites(k, make));
        return List.copyOf(out);
    }

    /**
     * A maker's own short forms of its model names. Nikon writes {@code E775} for the Coolpix 775 ("E" and the
     * number, E950 and E5700 too). Olympus writes {@code u1020} for the µ 1020, sold as "Stylus 1020" in America
     * and "mju 1020" in Europe (digicamdb uses either), and a trailing {@code Z} for "Zoom" ({@code C2000Z} is the
     * C-2000 Zoom).
     */
    static List<String> rewrites(String key, String make) {
        List<String> out = new ArrayList<>();
        if ("Nikon".equals(make)) {
            Matcher e = NIKON_E.matcher(key);
            if (e.matches()) out.add("coolpix" + e.group(1));
        }
        if ("Olympus".equals(make)) {
            Matcher u = OLYMPUS_U.matcher(key);
            if (u.matches()) {
                out.add("stylus" + u.group(1));
                out.add("mju" + u.group(1));
            }
            Matcher z = OLYMPUS_Z.matcher(key);
            if (z.matches()) out.add(z.group(1) + "zoom");
        }
        return out;
    }

    // ------------------------------------------------------------------ display names of digicamdb keys

    /** How a maker's series words are spelled ("finepix" → FinePix); longest key first within a make. */
    static final Map<String, List<String[]>> SERIES_NAMES = Map.ofEntries(
            Map.entry("Canon", List.<String[]>of(new String[] {"digitalixus", "Digital IXUS"},
                    new String[] {"powershot", "PowerShot"}, new String[] {"ixus", "IXUS"},
                    new String[] {"elph", "ELPH"}, new String[] {"eos", "EOS"})),
            Map.entry("Casio", List.<String[]>of(new String[] {"exilim", "Exilim"})),
            Map.entry("Fujifilm", List.<String[]>of(new String[] {"finepix", "FinePix"})),
            Map.entry("HP", List.<String[]>of(new String[] {"photosmart", "PhotoSmart"})),
            Map.entry("Kodak", List.<String[]>of(new String[] {"easyshare", "EasyShare"})),
            Map.entry("Konica Minolta", List.<String[]>of(new String[] {"dimage", "DiMAGE"})),
            Map.entry("Minolta", List.<String[]>of(new String[] {"dimage", "DiMAGE"})),
            Map.entry("Nikon", List.<String[]>of(new String[] {"coolpix", "Coolpix"})),
            Map.entry("Olympus", List.<String[]>of(new String[] {"stylus", "Stylus"}, new String[] {"mju", "mju"})),
            Map.entry("Panasonic", List.<String[]>of(new String[] {"lumix", "Lumix"})),
            Map.entry("Pentax", List.<String[]>of(new String[] {"optio", "Optio"})),
            Map.entry("Ricoh", List.<String[]>of(new String[] {"caplio", "Caplio"})),
            Map.entry("Samsung", List.<String[]>of(new String[] {"digimax", "Digimax"})),
            Map.entry("Sanyo", List.<String[]>of(new String[] {"xacti", "Xacti"})),
            Map.entry("Sony", List.<String[]>of(new String[] {"cybershot", "Cyber-shot"}, new String[] {"alpha", "Alpha"},
                    new String[] {"mavica", "Mavica"})));

    /** Model code prefixes that a maker writes with a hyphen: Sony DSC-W110, Panasonic DMC-FX580, Sanyo VPC-E760. */
    static final Map<String, List<String[]>> CODE_PREFIX = Map.of(
            "Sony", List.<String[]>of(new String[] {"dsc", "DSC-"}),
            "Panasonic", List.<String[]>of(new String[] {"dmc", "DMC-"}),
            "Sanyo", List.<String[]>of(new String[] {"vpc", "VPC-"}));

    /** Words that read as words, not codes, wherever they occur in a key. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("zoom", "Zoom"), Map.entry("plus", "Plus"), Map.entry("pro", "Pro"), Map.entry("mini", "mini"),
            Map.entry("mark", "Mark"), Map.entry("wide", "Wide"), Map.entry("digital", "Digital"),
            Map.entry("tough", "Tough"), Map.entry("ultra", "Ultra"), Map.entry("mp3", "MP3"),
            Map.entry("duo", "Duo"), Map.entry("touch", "Touch"), Map.entry("slim", "Slim"), Map.entry("rebel", "Rebel"),
            Map.entry("kiss", "Kiss"));

    private static final Pattern RUN = Pattern.compile("[a-z]+|[0-9]+|[^a-z0-9]+");

    /**
     * A readable name for a digicamdb key, which lost its spelling ("finepix2400zoom"): the maker's series word as
     * the maker spells it, then the rest split where letters and digits meet only where that reads right. Short
     * letter codes are upper-case and stay glued to their number ({@code dc240} → DC240, {@code sx230hs} → SX230
     * HS), known words are words ({@code zoom} → Zoom), a single letter after a number stays on it ({@code 40i} →
     * 40i). Regional names after '/' are kept: {@code eosrebelt2i/550d} → EOS Rebel T2i / 550D.
     */
    public static String prettyName(String make, String key) {
        List<String> out = new ArrayList<>();
        for (String part : key.split("/")) {
            String p = prettyPart(make, part.strip());
            if (!p.isEmpty()) out.add(p);
        }
        return String.join(" / ", out);
    }

    private static String prettyPart(String make, String key) {
        StringBuilder sb = new StringBuilder();
        String rest = key;
        boolean matched = true;
        while (matched) {
            matched = false;
            for (String[] s : SERIES_NAMES.getOrDefault(make, List.of())) {
                if (rest.startsWith(s[0])) { // the series alone is a name too: the original "Digital IXUS"
                    sb.append(s[1]).append(' ');
                    rest = rest.substring(s[0].length());
                    matched = true;
                    break;
                }
            }
        }
        for (String[] c : CODE_PREFIX.getOrDefault(make, List.of())) {
            if (rest.startsWith(c[0]) && rest.length() > c[0].length()) {
                sb.append(c[1]);
                rest = rest.substring(c[0].length());
                break;
            }
        }
        List<String> runs = new ArrayList<>();
        Matcher m = RUN.matcher(rest);
        while (m.find()) runs.add(m.group());
        String prev = null; // kind of the previous run: "code" (letters glued to a following number), "num", "word"
        for (int i = 0; i < runs.size(); i++) {
            String r = runs.get(i);
            char c = r.charAt(0);
            boolean letters = c >= 'a' && c <= 'z';
            boolean digits = c >= '0' && c <= '9';
            String next = i + 1 < runs.size() ? runs.get(i + 1) : null;
            boolean nextDigits = next != null && next.charAt(0) >= '0' && next.charAt(0) <= '9';
            if (letters) {
                if (nextDigits && WORDS.containsKey(r + next)) { // "mp3"
                    space(sb);
                    sb.append(WORDS.get(r + next));
                    i++;
                    prev = "word";
                    continue;
                }
                if (!WORDS.containsKey(r) && r.length() > 4) { // "rebelt" + "2i": a word, then a code
                    String w = leadingWord(r);
                    if (w != null) {
                        space(sb);
                        sb.append(WORDS.get(w));
                        runs.set(i, r.substring(w.length()));
                        i--;
                        prev = "word";
                        continue;
                    }
                }
                if (WORDS.containsKey(r)) {
                    space(sb);
                    sb.append(WORDS.get(r));
                    prev = "word";
                } else if ("num".equals(prev) && r.length() == 1) {
                    sb.append(r.equals("i") ? "i" : r.toUpperCase(Locale.ROOT)); // 40i, C2000Z
                    prev = "word";
                } else if (r.length() <= 3 || nextDigits && r.length() <= 4) {
                    space(sb);
                    sb.append(r.toUpperCase(Locale.ROOT));
                    prev = nextDigits ? "code" : "word";
                } else {
                    space(sb);
                    sb.append(Character.toUpperCase(c)).append(r.substring(1));
                    prev = "word";
                }
            } else if (digits) {
                if (!"code".equals(prev)) space(sb);
                sb.append(r);
                prev = "num";
            } else {
                String t = r.strip();
                if (!t.isEmpty()) sb.append(t);
                prev = "sep";
            }
        }
        return sb.toString().strip();
    }

    private static String leadingWord(String run) {
        String best = null;
        for (String w : WORDS.keySet()) {
            if (run.startsWith(w) && run.length() > w.length() && (best == null || w.length() > best.length())) best = w;
        }
        return best;
    }

    private static void space(StringBuilder sb) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ' && sb.charAt(sb.length() - 1) != '-'
                && sb.charAt(sb.length() - 1) != '.') {
            sb.append(' ');
        }
    }

    // ------------------------------------------------------------------ maker index for the build

    /** The maker index the matcher uses, for the build: display makes → EXIF spellings. */
    public static final class MakerIndex {
        private final Makers makers;

        public MakerIndex(Map<String, List<String>> namesByMake) {
            makers = new Makers(namesByMake);
        }

        public Set<String> resolve(String exifMake) {
            return makers.resolve(exifMake);
        }

        public Set<String> words(String make) {
            return makers.words(make);
        }

        public Set<String> words(Collection<String> makes) {
            return makers.words(makes);
        }
    }

    /** Folded maker key without company words ("EASTMAN KODAK COMPANY" → "eastman kodak"). */
    public static String makerKey(String maker) {
        return Makers.key(maker);
    }
}
