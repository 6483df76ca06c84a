package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * Every corpus image Pillow could open must hash as Python imagehash 4.3.2 did: at least 97 % bit-exact on
 * dhash and on phash, every file within Hamming distance 4 on both, and the same width and height.
 * The figures and each mismatch go to stdout and to target/hash-compat-report.txt.
 */
class HashCompatibilityTest {
    private static final double MIN_EXACT = 0.97;
    private static final int MAX_DISTANCE = 4;

    @Test
    void matchesPythonImagehashOnTheCorpus() throws IOException {
        assumeTrue(Files.isRegularFile(Corpus.HASHES_CSV), "corpus not found at " + Corpus.ROOT);
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

        assertTrue(dExact >= MIN_EXACT * n, "dhash bit-exact below 97 %:\n" + report);
        assertTrue(pExact >= MIN_EXACT * n, "phash bit-exact below 97 %:\n" + report);
        assertTrue(dWithin == n && pWithin == n, "some hashes differ by more than " + MAX_DISTANCE + " bits:\n" + report);
        assertTrue(sizeErrors.isEmpty(), "width/height differ from Pillow:\n" + report);
    }
}
