package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * What README claims: every corpus image Pillow could open (all 147 with reference hashes) hashes exactly as
 * Python imagehash 4.3.2 did, dhash and phash, with the same width and height. A missing reference fails.
 * The figures and each mismatch go to stdout and to target/hash-compat-report.txt.
 */
class HashCompatibilityTest {
    private static final int REFERENCE_FILES = 147;
    private static final int MAX_DISTANCE = 4;

    @Test
    void matchesPythonImagehashOnTheCorpus() throws IOException {
        assertTrue(Files.isRegularFile(Corpus.HASHES_CSV), "reference hashes not found at " + Corpus.HASHES_CSV);
        List<Corpus.Row> rows = Corpus.hashedRows();
        ImageHasher hasher = new ImageHasher(200_000_000L);

        int dExact = 0;
        int pExact = 0;
        int dWithin = 0;
        int pWithin = 0;
        List<String> mismatches = new ArrayList<>();
        List<String> sizeErrors = new ArrayList<>();
        for (Corpus.Row row : rows) {
            String ourD;
            String ourP;
            try {
                ImageHashes h = hasher.hash(row.path());
                ourD = h.dhash();
                ourP = h.phash();
                if (h.width() != row.width() || h.height() != row.height()) {
                    sizeErrors.add(String.format(Locale.ROOT, "%s: ours %dx%d, Pillow %dx%d", row.file(), h.width(),
                            h.height(), row.width(), row.height()));
                }
            } catch (UndecodableImageException | ImageTooLargeException e) {
                mismatches.add(row.file() + " (" + row.pilFormat() + "): " + e.getClass().getSimpleName() + ": "
                        + e.getMessage());
                continue;
            }
            int dd = Hamming.distance(ourD, row.dhash());
            int pd = Hamming.distance(ourP, row.phash());
            dExact += dd == 0 ? 1 : 0;
            pExact += pd == 0 ? 1 : 0;
            dWithin += dd <= MAX_DISTANCE ? 1 : 0;
            pWithin += pd <= MAX_DISTANCE ? 1 : 0;
            if (dd != 0) {
                mismatches.add(String.format(Locale.ROOT, "%s (%s) dhash ours %s theirs %s distance %d", row.file(),
                        row.pilFormat(), ourD, row.dhash(), dd));
            }
            if (pd != 0) {
                mismatches.add(String.format(Locale.ROOT, "%s (%s) phash ours %s theirs %s distance %d", row.file(),
                        row.pilFormat(), ourP, row.phash(), pd));
            }
        }

        int n = rows.size();
        StringBuilder report = new StringBuilder();
        report.append("imagehash compatibility over ").append(n).append(" corpus files with reference hashes\n");
        report.append(String.format(Locale.ROOT, "dhash bit-exact: %d/%d (%.1f %%), within %d bits: %d/%d%n", dExact,
                n, 100.0 * dExact / n, MAX_DISTANCE, dWithin, n));
        report.append(String.format(Locale.ROOT, "phash bit-exact: %d/%d (%.1f %%), within %d bits: %d/%d%n", pExact,
                n, 100.0 * pExact / n, MAX_DISTANCE, pWithin, n));
        report.append("mismatches: ").append(mismatches.isEmpty() ? "none" : mismatches.size()).append('\n');
        mismatches.forEach(m -> report.append("  ").append(m).append('\n'));
        report.append("size differences: ").append(sizeErrors.isEmpty() ? "none" : sizeErrors.size()).append('\n');
        sizeErrors.forEach(m -> report.append("  ").append(m).append('\n'));
        System.out.print(report);
        Path out = Path.of(System.getProperty("basedir", ".")).resolve("target/hash-compat-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);

        assertEquals(REFERENCE_FILES, n, "files with reference hashes (README states the number)");
        assertEquals(List.of(), mismatches, "not bit-exact:\n" + report);
        assertEquals(n, dExact);
        assertEquals(n, pExact);
        assertEquals(List.of(), sizeErrors, "width/height differ from Pillow:\n" + report);
    }
}
