package dev.exifq.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How well a catalogue entry answers what someone typed, for ordering search hits. Tiers, best first:
 * {@link #EXACT} the query is a name, model, alias or common name ({@code a7} = {@code ILCE-7} = {@code Alpha 7},
 * {@code 5d mark iv}, {@code gh5}), alone or after the make; {@link #PREFIX} one of them starts with it;
 * {@link #WORDS} every query word is a whole word of the names ({@code 24-70 2.8 gm} is the GM lens, not a Sigma,
 * whose name only contains "gm"); {@link #SUBSTRING} the words only occur inside others.
 */
final class SearchRank {

    static final int EXACT = 0;
    static final int PREFIX = 1;
    static final int WORDS = 2;
    static final int SUBSTRING = 3;

    /**
     * Series words people leave out when they type a model ("EOS 5D Mark IV" is "5d mark iv", "DC-GH5" "gh5",
     * "Galaxy S23 Ultra" "s23 ultra"). Only for ranking and finding, never for matching EXIF.
     */
    private static final Set<String> SERIES = Set.of("eos", "powershot", "ixus", "digital", "galaxy", "lumix", "dc",
            "dmc", "coolpix", "finepix", "cyber", "shot", "dsc", "dimage", "optio", "exilim", "easyshare", "stylus",
            "caplio", "xacti");
    private static final Pattern ALPHA = Pattern.compile("(?i)^alpha[ -]?(\\d.*)$");
    private static final Pattern OLYMPUS_OMD = Pattern.compile("(?i)^e-m\\d.*");
    private static final Pattern OLYMPUS_PEN = Pattern.compile("(?i)^e-p(l|m)?\\d.*");
    /** Words for {@link #WORDS}: letter runs and numbers, a decimal kept whole ("f/2.8" → f, 2.8; "70mm" → 70, mm). */
    private static final Pattern LEADING_WORD = Pattern.compile("^([A-Za-z]+)[ -]+(.*)$");
    private static final Pattern WORD = Pattern.compile("[a-z]+|[0-9]+(?:\\.[0-9]+)?");

    private SearchRank() {}

    /** What a query is compared by: its key (letters and digits only) and its words. */
    record Query(String key, String[] words) {
        static Query of(String q) {
            return new Query(Text.key(q == null ? "" : q), wordsOf(q));
        }

        boolean isEmpty() {
            return key.isEmpty();
        }
    }

    /** The tier of an entry with these keys (exact/prefix) and words. */
    static int tier(Query q, String[] keys, String[] words) {
        if (q.isEmpty()) return SUBSTRING;
        for (String k : keys) if (k.equals(q.key())) return EXACT;
        for (String k : keys) if (k.startsWith(q.key())) return PREFIX;
        for (String w : q.words()) if (!contains(words, w)) return SUBSTRING;
        return WORDS;
    }

    /**
     * Names a photographer types for a camera besides its catalogue names: Sony's "Alpha 7 III" is the "a7 iii",
     * Olympus's E-M1 the "OM-D E-M1", E-P5 the "PEN E-P5", and any name without its series word.
     */
    static List<String> commonCameraNames(String make, String name) {
        if (name == null) return List.of();
        List<String> out = new ArrayList<>();
        Matcher alpha = ALPHA.matcher(name);
        if ("Sony".equals(make) && alpha.matches()) out.add("a" + alpha.group(1));
        if ("Olympus".equals(make) && OLYMPUS_OMD.matcher(name).matches()) out.add("OM-D " + name);
        if ("Olympus".equals(make) && OLYMPUS_PEN.matcher(name).matches()) out.add("PEN " + name);
        String withoutSeries = withoutSeries(name);
        if (withoutSeries != null) out.add(withoutSeries);
        return out;
    }

    /** Exact/prefix keys: each name, and each after the make ("sonya7"), without duplicates. */
    static String[] keys(String make, List<String> names) {
        Set<String> keys = new LinkedHashSet<>();
        String makeKey = Text.key(make);
        for (String n : names) {
            String k = Text.key(n);
            if (k.isEmpty()) continue;
            keys.add(k);
            if (!k.startsWith(makeKey)) keys.add(makeKey + k);
        }
        return keys.toArray(String[]::new);
    }

    /** The distinct words of these names, for {@link #WORDS}. */
    static String[] words(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) for (String w : wordsOf(n)) out.add(w);
        return out.toArray(String[]::new);
    }

    private static String[] wordsOf(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(Text.fold(s));
        while (m.find()) {
            String w = m.group();
            // "4.0" and "4" are the same aperture
            if (w.endsWith(".0")) w = w.substring(0, w.length() - 2);
            out.add(w);
        }
        return out.toArray(String[]::new);
    }

    /** The name without leading series words, if something with a digit remains ("EOS 5D Mark IV" → "5D Mark IV"). */
    private static String withoutSeries(String name) {
        String rest = name;
        boolean dropped = false;
        while (true) {
            Matcher m = LEADING_WORD.matcher(rest);
            if (!m.matches() || !SERIES.contains(Text.fold(m.group(1)))) break;
            rest = m.group(2);
            dropped = true;
        }
        return dropped && rest.chars().anyMatch(Character::isDigit) ? rest : null;
    }

    private static boolean contains(String[] words, String w) {
        for (String x : words) if (x.equals(w)) return true;
        return false;
    }
}
