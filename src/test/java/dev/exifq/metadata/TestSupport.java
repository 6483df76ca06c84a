package dev.exifq.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Locates the pinned exiftool and the shared corpus for tests (paths relative to the Maven basedir). */
final class TestSupport {

    static final String EXIFTOOL_PATH_KEY = "EXIFQ_EXIFTOOL_PATH";
    static final Path CORPUS = Path.of("../shared/corpus");
    static final Path IMAGES = CORPUS.resolve("images");
    static final Path REFERENCE = CORPUS.resolve("reference/exiftool");

    private static Path exiftool;

    private TestSupport() {
    }

    /** System property or env {@code EXIFQ_EXIFTOOL_PATH}, else whatever {@code scripts/install-exiftool} prints. */
    static synchronized Path exiftool() {
        if (exiftool != null) {
            return exiftool;
        }
        String configured = System.getProperty(EXIFTOOL_PATH_KEY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(EXIFTOOL_PATH_KEY);
        }
        if (configured != null && !configured.isBlank()) {
            exiftool = Path.of(configured);
        } else {
            exiftool = install();
        }
        if (!Files.isRegularFile(exiftool)) {
            throw new IllegalStateException("exiftool not found at " + exiftool);
        }
        return exiftool;
    }

    private static Path install() {
        try {
            Process p = new ProcessBuilder("bash", "scripts/install-exiftool")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException("scripts/install-exiftool failed: " + out);
            }
            String[] lines = out.split("\n");
            return Path.of(lines[lines.length - 1].strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/install-exiftool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ExifToolSettings settings(int poolSize) {
        return ExifToolSettings.defaults(exiftool()).withPoolSize(poolSize);
    }

    /** Every corpus image, sorted by name. */
    static List<Path> images() {
        if (!Files.isDirectory(IMAGES)) {
            throw new IllegalStateException("corpus not found at " + IMAGES.toAbsolutePath()
                    + " (tests expect ../shared/corpus beside the project)");
        }
        try (Stream<Path> s = Files.list(IMAGES)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path image(String name) {
        Path p = IMAGES.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing corpus image " + p);
        }
        return p.toAbsolutePath().normalize();
    }

    static String referenceText(String imageName) {
        try {
            return Files.readString(REFERENCE.resolve(imageName + ".json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The reference object minus SourceFile/ExifTool/File, built from the reference text line by line (exiftool
     * puts each top-level key at two spaces of indent), independently of the code under test.
     */
    static String expectedMetadataText(String referenceText) {
        String[] lines = referenceText.split("\n", -1);
        StringBuilder all = new StringBuilder();
        StringBuilder block = null;
        boolean keep = false;
        java.util.List<String> blocks = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) { // line 0 is "[{"
            String line = lines[i];
            if (line.equals("}]")) {
                break;
            }
            if (line.startsWith("  \"") && !line.startsWith("   ")) {
                if (block != null && keep) {
                    blocks.add(stripComma(block.toString()));
                }
                String name = line.substring(3, line.indexOf('"', 3));
                keep = !MetadataReader.DROPPED_KEYS.contains(name);
                block = new StringBuilder(line);
            } else if (block != null) {
                block.append('\n').append(line);
            }
        }
        if (block != null && keep) {
            blocks.add(stripComma(block.toString()));
        }
        if (blocks.isEmpty()) {
            return "{}";
        }
        all.append("{\n").append(String.join(",\n", blocks)).append("\n}");
        return all.toString();
    }

    private static String stripComma(String block) {
        return block.endsWith(",") ? block.substring(0, block.length() - 1) : block;
    }

    static void waitUntilDead(long pid, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " still alive after " + max);
            }
            Thread.sleep(20);
        }
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Live perl processes started directly by this JVM (pools' processes; fork children are not direct), other than
     * {@code except} (e.g. those alive before a test began).
     */
    static long perlChildren(java.util.Set<Long> except) {
        return perlChildPids().stream().filter(pid -> !except.contains(pid)).count();
    }

    /** The pids of the live perl processes started directly by this JVM. */
    static java.util.Set<Long> perlChildPids() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("perl") || c.contains("/perl")).orElse(false))
                .map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toSet());
    }
}
