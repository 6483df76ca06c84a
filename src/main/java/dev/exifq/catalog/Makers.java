package dev.exifq.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the maker that EXIF writes ({@code NIKON CORPORATION}, {@code OLYMPUS IMAGING CORP.}, {@code SONY},
 * {@code EASTMAN KODAK COMPANY}, {@code RICOH IMAGING COMPANY, LTD.}) to the display makes lensfun uses
 * ({@code Nikon}, {@code Olympus}, {@code Sony}, {@code Kodak}, {@code Pentax}/{@code Ricoh}).
 *
 * <p>A maker string is reduced to a key: folded words without company-form words (corporation, co, ltd, inc,
 * imaging, optical, camera, computer, electric, techwin, mobile, ...). The keys of every maker spelling lensfun
 * lists (its {@code <maker>} and {@code <maker lang="en">} values) point to that display make; a few spellings
 * lensfun does not list are added by hand. If the whole key is unknown, its words are tried one by one
 * ("SANYO Electric" → "sanyo"). One key can name several makes: Ricoh Imaging sells Pentax and Ricoh cameras.
 */
final class Makers {

    private static final Set<String> COMPANY_WORDS = Set.of(
            "corporation", "corp", "co", "ltd", "limited", "inc", "incorporated", "company", "gmbh", "ag", "kk",
            "llc", "plc", "sa", "imaging", "optical", "camera", "cameras", "computer", "electric", "electronics",
            "techwin", "mobile", "technologies", "technology", "industries", "industrial", "international");

    /** Spellings seen in EXIF that lensfun does not list; value = lensfun display make. */
    private static final Map<String, String> EXTRA = Map.of(
            "fuji photo film", "Fujifilm",
            "fuji", "Fujifilm",
            "eastman kodak", "Kodak",
            "konica", "Konica Minolta",
            "asahi", "Pentax",
            "om system", "OM System",
            "om digital solutions", "OM System",
            "leica camera", "Leica");

    private final Map<String, Set<String>> byKey = new HashMap<>();
    private final Map<String, Set<String>> wordsOfMake = new HashMap<>();

    Makers(Map<String, List<String>> namesByMake) {
        namesByMake.forEach((make, names) -> {
            add(make, make);
            names.forEach(n -> add(n, make));
        });
        EXTRA.forEach((spelling, make) -> {
            if (namesByMake.containsKey(make)) add(spelling, make);
        });
    }

    private void add(String spelling, String make) {
        String k = key(spelling);
        if (k.isEmpty()) return;
        Set<String> makes = byKey.computeIfAbsent(k, x -> new LinkedHashSet<>());
        if (k.equals(key(make)) && !makes.contains(make)) {
            // the make named like the spelling goes first: "OLYMPUS" → Olympus before OM System
            Set<String> reordered = new LinkedHashSet<>();
            reordered.add(make);
            reordered.addAll(makes);
            byKey.put(k, reordered);
        } else {
            makes.add(make);
        }
        Set<String> words = wordsOfMake.computeIfAbsent(make, x -> new LinkedHashSet<>());
        for (String w : k.split(" ")) {
            if (w.length() >= 2) words.add(w);
        }
    }

    /** Display makes that an EXIF maker string names, best first; empty if lensfun knows none. */
    Set<String> resolve(String exifMake) {
        String k = key(exifMake);
        if (k.isEmpty()) return Set.of();
        Set<String> direct = byKey.get(k);
        if (direct != null) return direct;
        if (k.indexOf(' ') < 0) return Set.of();
        Set<String> out = new LinkedHashSet<>();
        for (String w : k.split(" ")) {
            Set<String> s = byKey.get(w);
            if (s != null) out.addAll(s);
        }
        return out;
    }

    /** The display make an EXIF maker string stands for (the first of {@link #resolve}), or null if unknown. */
    String normalise(String exifMake) {
        Set<String> s = resolve(exifMake);
        return s.isEmpty() ? null : s.iterator().next();
    }

    /** Folded words that stand for these makes when a model or lens name repeats its maker ("Canon EOS 40D"). */
    Set<String> words(Collection<String> makes) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : makes) {
            Set<String> w = wordsOfMake.get(m);
            if (w != null) out.addAll(w);
        }
        return out;
    }

    Set<String> words(String make) {
        return wordsOfMake.getOrDefault(make, Set.of());
    }

    /** Every maker word → the makes it names (used to read a maker out of a lens name). */
    Map<String, Set<String>> makesByWord() {
        Map<String, Set<String>> out = new HashMap<>();
        wordsOfMake.forEach((make, words) -> words.forEach(w -> out.computeIfAbsent(w, x -> new LinkedHashSet<>()).add(make)));
        return out;
    }

    static String key(String maker) {
        if (maker == null) return "";
        List<String> words = new ArrayList<>();
        for (String w : Text.WORD_SPLIT.split(Text.fold(maker))) {
            if (!w.isEmpty() && !COMPANY_WORDS.contains(w)) words.add(w);
        }
        return String.join(" ", words);
    }
}
