package dev.exifq.writes;

import dev.exifq.fetch.Filenames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names for the entries of a bulk ZIP: the client's file names, never a path (only the base name survives
 * {@code ../x}, {@code /etc/x} or {@code C:\x}; no drive colons), unique regardless of case, as file systems
 * that ignore case would otherwise merge them on extraction: {@code a.jpg}, {@code a (2).jpg}, ...
 */
final class ZipEntryNames {
    private ZipEntryNames() {}

    static List<String> unique(List<String> names) {
        Set<String> taken = new HashSet<>();
        List<String> out = new ArrayList<>(names.size());
        for (String raw : names) {
            String name = Filenames.sanitize(raw == null ? null : raw.replace(':', '_'));
            if (name == null) {
                name = "image";
            }
            int dot = name.lastIndexOf('.');
            String base = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            String candidate = name;
            for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
                candidate = base + " (" + n + ")" + ext;
            }
            out.add(candidate);
        }
        return out;
    }
}
