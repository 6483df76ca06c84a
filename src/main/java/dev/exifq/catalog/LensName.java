package dev.exifq.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lens name taken apart for matching: focal range, aperture range, the makers it names, and its other words.
 * "AF-S DX Zoom-Nikkor 18-70mm f/3.5-4.5G IF-ED", "18.0-70.0 mm f/3.5-4.5", "XF18-55mmF2.8-4 R LM OIS",
 * "LUMIX G VARIO 35-100/F2.8" and "Sony FE 55mm F1.8 ZA" all parse. {@code key} identifies the name up to case,
 * spacing, punctuation, number formatting ("18.0" = "18"), aperture notation and maker words.
 */
record LensName(String key, double focalMin, double focalMax, double apertureMin, double apertureMax,
        Set<String> words, Set<String> makeHints) {

    private static final String NUM = "(\\d+(?:\\.\\d+)?)";
    private static final Pattern FOCAL = Pattern.compile("(?<!\\d)" + NUM + "(?:\\s*-\\s*" + NUM + ")?\\s*mm");
    private static final Pattern SLASH_SPEC = Pattern.compile("(?<!\\d)" + NUM + "(?:-" + NUM + ")?/f\\s*" + NUM
            + "(?:\\s*-\\s*" + NUM + ")?");
    private static final Pattern F_APERTURE = Pattern.compile("(?<![a-z0-9])f\\s*/?\\s*(\\d+(?:\\.\\d+)?|\\?)"
            + "(?:\\s*-\\s*" + NUM + ")?");
    private static final Pattern RATIO_APERTURE = Pattern.compile("(?<![\\d.])1:\\s*" + NUM + "(?:\\s*-\\s*" + NUM + ")?");
    private static final Pattern WORD_SPLIT = Pattern.compile("[^a-z0-9]+");
    /** Words that say nothing about which lens it is. */
    private static final Set<String> FILLER = Set.of("unknown", "lens", "mm", "or", "objective");

    static LensName parse(String name, Map<String, Set<String>> makesByWord) {
        String t = Text.fold(name);
        double fmin = 0, fmax = 0, amin = 0, amax = 0;
        Matcher m = FOCAL.matcher(t);
        if (m.find()) {
            fmin = Double.parseDouble(m.group(1));
            fmax = m.group(2) != null ? Double.parseDouble(m.group(2)) : fmin;
            t = t.substring(0, m.start()) + " " + t.substring(m.end());
        } else {
            m = SLASH_SPEC.matcher(t);
            if (m.find()) {
                fmin = Double.parseDouble(m.group(1));
                fmax = m.group(2) != null ? Double.parseDouble(m.group(2)) : fmin;
                amin = Double.parseDouble(m.group(3));
                amax = m.group(4) != null ? Double.parseDouble(m.group(4)) : 0;
                t = t.substring(0, m.start()) + " " + t.substring(m.end());
            }
        }
        if (amin == 0) {
            m = F_APERTURE.matcher(t);
            if (m.find()) {
                amin = m.group(1).equals("?") ? 0 : Double.parseDouble(m.group(1));
                amax = m.group(2) != null ? Double.parseDouble(m.group(2)) : 0;
                t = t.substring(0, m.start()) + " " + t.substring(m.end());
            } else {
                m = RATIO_APERTURE.matcher(t);
                while (m.find()) {
                    double v = Double.parseDouble(m.group(1));
                    boolean macroRatio = t.contains("macro") && v == Math.rint(v) && v <= 5;
                    if (!macroRatio && v >= 0.7 && v <= 64) {
                        amin = v;
                        amax = m.group(2) != null ? Double.parseDouble(m.group(2)) : 0;
                        t = t.substring(0, m.start()) + " " + t.substring(m.end());
                        break;
                    }
                }
            }
        }
        if (amax > 0 && Math.abs(amax - amin) < 0.05) amax = 0;
        Set<String> words = new LinkedHashSet<>();
        Set<String> hints = new LinkedHashSet<>();
        List<String> ordered = new ArrayList<>();
        for (String w : WORD_SPLIT.split(t)) {
            if (w.isEmpty() || FILLER.contains(w)) continue;
            Set<String> makes = makesByWord.get(w);
            if (makes != null) {
                hints.addAll(makes);
                continue;
            }
            words.add(w);
            ordered.add(w);
        }
        StringBuilder key = new StringBuilder();
        if (fmin > 0) key.append(num(fmin)).append('-').append(num(fmax)).append("mm");
        key.append('|');
        if (amin > 0) key.append('f').append(num(amin)).append(amax > 0 ? "-" + num(amax) : "");
        key.append('|').append(String.join(" ", ordered));
        return new LensName(key.toString(), fmin, fmax, amin, amax, Set.copyOf(words), Set.copyOf(hints));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
