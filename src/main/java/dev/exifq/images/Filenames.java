package dev.exifq.images;

import java.nio.charset.StandardCharsets;

/** Client-given file names are kept for display only; this strips paths and control characters. */
final class Filenames {
    private Filenames() {}

    static String sanitise(String name) {
        if (name == null) return null;
        String n = name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        StringBuilder out = new StringBuilder();
        n.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x7f).forEach(out::appendCodePoint);
        String s = out.toString().strip();
        if (s.isEmpty() || s.equals(".") || s.equals("..")) return null;
        while (s.getBytes(StandardCharsets.UTF_8).length > 255) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
