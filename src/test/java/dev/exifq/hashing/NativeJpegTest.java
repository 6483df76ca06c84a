package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The libjpeg-turbo decoder (src/main/c, loaded through JNI) against the JDK path it replaces for JPEGs: the
 * same hashes on every corpus JPEG/MPO and JPEG fixture (every chroma subsampling, progressive, arithmetic,
 * grey, CMYK, RGB-coded), the same refusal of truncated files, and a limit the JDK path lacks.
 */
class NativeJpegTest {
    private static final long LIMIT = 200_000_000L;
    private static final Path CORPUS = Path.of(System.getProperty("basedir", "."))
            .resolve("../shared/corpus/images").normalize();

    private final ImageHasher nativeHasher = new ImageHasher(LIMIT);
    private final ImageHasher jdkHasher = new ImageHasher(LIMIT, ImageHasher.DEFAULT_BAND_PIXELS, false);

    @Test
    void isBuiltAndLoadedHere() {
        // scripts/check-prerequisites installs gcc and libjpeg-turbo's headers, so the build always has it here
        assertTrue(NativeJpeg.available(), "the native JPEG decoder was not built or did not load");
        assertTrue(nativeHasher.usesNativeJpeg());
        assertFalse(jdkHasher.usesNativeJpeg());
    }

    @Test
    void sameHashesAsTheJdkPathOnEveryJpeg() throws Exception {
        List<Path> files = new ArrayList<>(jpegs(CORPUS));
        files.addAll(jpegs(PillowFixturesTest.DIR));
        assertTrue(files.size() > 120, "found only " + files.size() + " JPEGs");
        int hashed = 0;
        List<String> differences = new ArrayList<>();
        for (Path f : files) {
            String jdk = outcome(jdkHasher, f);
            String nat = outcome(nativeHasher, f);
            if (!jdk.equals(nat)) {
                differences.add(f.getFileName() + ": JDK " + jdk + ", native " + nat);
            }
            if (!jdk.startsWith("refused")) {
                hashed++;
                byte[] bytes = Files.readAllBytes(f);
                assertEquals(nat, outcome(nativeHasher, bytes), f.getFileName() + " as a stream");
                // raw previews are handed over as an array
                assertEquals(nat, describe(nativeHasher.hash(bytes)), f.getFileName() + " as an array");
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(hashed > 120, "hashed only " + hashed);
    }

    @Test
    void truncatedJpegsAreRefusedAsByTheJdkPath() throws Exception {
        byte[] whole = Files.readAllBytes(PillowFixturesTest.DIR.resolve("big-420.jpg"));
        for (int cut : new int[] {2, 200, whole.length / 2, whole.length - 2}) {
            byte[] part = Arrays.copyOf(whole, whole.length - cut);
            String nat = outcome(nativeHasher, part);
            assertEquals(outcome(jdkHasher, part), nat, "cut " + cut);
            assertTrue(nat.contains("truncated"), nat);
        }
    }

    @Test
    void progressiveJpegWithThousandsOfScansIsRefused() throws Exception {
        byte[] bomb = repeatFirstScan(Files.readAllBytes(PillowFixturesTest.DIR.resolve("big-progressive.jpg")), 600);
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> nativeHasher.hash(new ByteArrayInputStream(bomb)));
        assertTrue(e.getMessage().contains("too many scans"), e.getMessage());
    }

    /**
     * Hostile bytes reach C here, and a crash there would take the whole server down, so: thousands of damaged
     * JPEGs (bytes overwritten in the headers and the entropy-coded data, cut short, blocks duplicated), every
     * chroma layout, progressive, arithmetic, CMYK and grey. Each must come back as hashes or a refusal, and as
     * the same answer the JDK path gives (except the scan limit, which only the native path has).
     */
    @Test
    void damagedJpegsNeverCrashAndAgreeWithTheJdkPath() throws Exception {
        Random random = new Random(20261201L);
        List<String> differences = new ArrayList<>();
        int hashed = 0;
        int refused = 0;
        for (Path f : jpegs(PillowFixturesTest.DIR)) {
            byte[] original = Files.readAllBytes(f);
            List<byte[]> samples = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                samples.add(damage(original, random));
            }
            // the same samples as one at a time, decoded on every core (the decoders serve concurrent requests)
            List<String[]> outcomes = samples.parallelStream().map(damaged -> {
                String nat = outcome(nativeHasher, damaged);
                return new String[] {nat, nat.contains("too many scans") ? null : outcome(jdkHasher, damaged)};
            }).toList();
            for (int i = 0; i < outcomes.size(); i++) {
                String nat = outcomes.get(i)[0];
                String jdk = outcomes.get(i)[1];
                if (jdk == null) {
                    refused++;
                    continue;
                }
                if (!nat.equals(jdk)) {
                    differences.add(f.getFileName() + " #" + i + ": JDK " + jdk + ", native " + nat);
                }
                if (nat.startsWith("refused")) {
                    refused++;
                } else {
                    hashed++;
                }
            }
        }
        assertEquals(List.of(), differences);
        // both outcomes are exercised: damage in the entropy-coded data mostly still decodes
        assertTrue(hashed > 500 && refused > 300, hashed + " hashed, " + refused + " refused");
    }

    private static byte[] damage(byte[] original, Random random) {
        return damage(original, random, 2, 600); // SOI kept; markers, tables and frame header in the first 600
    }

    /**
     * A damaged copy: the first {@code keep} bytes (the signature) intact, then one of: a few bytes overwritten
     * anywhere, a few in the first {@code headers} bytes, cut short, a block copied over another place.
     */
    static byte[] damage(byte[] original, Random random, int keep, int headers) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> { // a few bytes anywhere after the signature, headers included
                for (int k = 0, n = 1 + random.nextInt(8); k < n; k++) {
                    b[keep + random.nextInt(b.length - keep)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> { // a few bytes in the headers
                for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                    b[keep + random.nextInt(Math.min(headers, b.length - keep))] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, keep + random.nextInt(b.length - keep)); // cut short
            default -> { // a block copied over another place
                int len = 1 + random.nextInt(Math.min(400, b.length / 2));
                int from = random.nextInt(b.length - len);
                int to = keep + random.nextInt(b.length - len - keep);
                System.arraycopy(original, from, b, to, len);
            }
        }
        return b;
    }

    /** The file with its first scan (SOS header and entropy-coded data) repeated {@code times} more. */
    private static byte[] repeatFirstScan(byte[] jpeg, int times) {
        int sos = -1;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                sos = i;
                break;
            }
        }
        assertTrue(sos > 0);
        int end = sos + 2 + ((jpeg[sos + 2] & 0xFF) << 8 | (jpeg[sos + 3] & 0xFF));
        while (!((jpeg[end] & 0xFF) == 0xFF && isMarker(jpeg[end + 1] & 0xFF))) {
            end++; // entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, end);
        for (int i = 0; i < times; i++) {
            out.write(jpeg, sos, end - sos);
        }
        out.write(jpeg, end, jpeg.length - end);
        return out.toByteArray();
    }

    private static boolean isMarker(int b) {
        return b != 0 && (b < 0xD0 || b > 0xD7);
    }

    private static String outcome(ImageHasher hasher, Path file) {
        try {
            return describe(hasher.hash(file));
        } catch (UndecodableImageException | ImageTooLargeException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String outcome(ImageHasher hasher, byte[] data) {
        try {
            return describe(hasher.hash(new ByteArrayInputStream(data)));
        } catch (UndecodableImageException | ImageTooLargeException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String describe(ImageHashes h) {
        return h.width() + "x" + h.height() + " " + h.dhash() + " " + h.phash();
    }

    private static List<Path> jpegs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".mpo");
            }).sorted().toList();
        }
    }
}
