package dev.exifq.catalog;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** String normalisation shared by slugs, indexes and lookups. */
public final class Text {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APERTURE_SLASH = Pattern.compile("(?<![a-z0-9])f/(?=\\d)");
    private static final Pattern NON_ALNUM_RUN = Pattern.compile("[^a-z0-9]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    static final Pattern WORD_SPLIT = Pattern.compile("[^a-z0-9]+");

    private Text() {}

    /** Lower-case ASCII-ish form: accents removed, µ → u (Olympus writes µ-mini as "u-mini"), ß → ss, × → x. */
    public static String fold(String s) {
        if (s == null) return "";
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        String t = s;
        if (!ascii) {
            t = t.replace('µ', 'u').replace('μ', 'u').replace("ß", "ss").replace('×', 'x')
                    .replace('ø', 'o').replace('Ø', 'O').replace("æ", "ae").replace("Æ", "AE")
                    .replace('ł', 'l').replace('Ł', 'L').replace('’', '\'');
            t = MARKS.matcher(Normalizer.normalize(t, Normalizer.Form.NFKD)).replaceAll("");
        }
        return t.toLowerCase(Locale.ROOT);
    }

    /**
     * PixelPeeper-style slug: lower-case ASCII, runs of other characters become one '-', no leading or trailing '-'.
     * The aperture "f/1.8" is written "f1.8" first so that lensfun's "f/1.8" and EXIF's "F1.8" give the same slug
     * ({@code FE 55mm F1.8 ZA} and {@code FE 55mm f/1.8 ZA} → {@code fe-55mm-f1-8-za}).
     */
    public static String slug(String s) {
        String t = APERTURE_SLASH.matcher(fold(s)).replaceAll("f");
        t = NON_ALNUM_RUN.matcher(t).replaceAll("-");
        int start = 0;
        int end = t.length();
        while (start < end && t.charAt(start) == '-') start++;
        while (end > start && t.charAt(end - 1) == '-') end--;
        return t.substring(start, end);
    }

    /** Comparison key: folded, only letters and digits ("EOS-1D Mark III" and "eos 1d mark iii" are equal). */
    public static String key(String s) {
        String f = fold(s);
        StringBuilder sb = new StringBuilder(f.length());
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) sb.append(c);
        }
        return sb.toString();
    }

    /** Trimmed, inner white space collapsed; null for null or blank. */
    public static String clean(String s) {
        if (s == null) return null;
        String t = s.strip();
        if (t.isEmpty()) return null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || (i + 1 < t.length() && Character.isWhitespace(t.charAt(i + 1))))) {
                return WHITESPACE.matcher(t).replaceAll(" ");
            }
        }
        return t;
    }
}
