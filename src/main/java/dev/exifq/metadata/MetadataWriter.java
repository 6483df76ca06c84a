package dev.exifq.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an {@link EditSpec} into a new file with one ExifTool task ({@code -o}, the source is never
 * changed). Client values never become ExifTool arguments: each is written to its own file in the scratch
 * folder and set with {@code -TAG<=file}, so ExifTool takes it literally, newlines and leading dashes included.
 * Numbers (formatted by us) are set with {@code -TAG#=n}. IPTC is written as UTF-8 with its character-set
 * marker.
 */
public final class MetadataWriter {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?");
    private static final Pattern CANT_WRITE = Pattern.compile(
            "Can't write \\w+ files|Writing of \\w+ files is not yet supported|Can't create \\w+ files from scratch"
                    + "|Unknown file type|Unsupported file type|File format error|Not a valid \\w+");
    private static final Pattern BENIGN_WARNING = Pattern.compile(
            "^\\[minor]|^ICC_Profile deleted|^No writable tags set from", Pattern.CASE_INSENSITIVE);

    /**
     * {@code -all=} leaves a TIFF's IFD0 alone (it holds the image structure), descriptive tags included; these
     * go explicitly. GeoTIFF georeferencing stays: it places the pixels, like their size does.
     */
    private static final List<String> TIFF_IFD0_DESCRIPTIVE = List.of("ImageDescription", "Make", "Model",
            "Software", "ModifyDate", "Artist", "Copyright", "HostComputer", "DocumentName", "PageName",
            "XPTitle", "XPComment", "XPAuthor", "XPKeywords", "XPSubject", "Rating", "RatingPercent");

    private final ExifToolPool pool;

    public MetadataWriter(ExifToolPool pool) {
        this.pool = pool;
    }

    /**
     * Writes {@code source} with the spec applied to {@code output} (which must not exist yet), using
     * {@code scratch} (a folder of this write's own) for the value files. On a refusal nothing is left at
     * {@code output}.
     */
    public void write(Path source, Path output, Path scratch, EditSpec spec) throws MetadataWriteException, IOException {
        ExifToolTask.Builder task = ExifToolTask.builder().option("-charset", "iptc=UTF8");
        if (spec.mode() != EditSpec.Mode.APPEND) {
            task.option("-all=");
            if (isTiff(source)) { // elsewhere (HEIC) deleting IFD0:Artist after -all= brings the whole EXIF back
                TIFF_IFD0_DESCRIPTIVE.forEach(tag -> task.option("-IFD0:" + tag + "="));
            }
            if (spec.keepIcc()) {
                task.option("-tagsFromFile").value("@").option("-ICC_Profile");
            }
        }
        boolean iptc = false;
        int n = 0;
        for (EditSpec.TagValue t : spec.tags()) {
            String group = WritableTags.group(t.tag());
            iptc |= group == null || group.equalsIgnoreCase("IPTC");
            if (t.values().isEmpty()) {
                task.option("-" + t.tag() + "=");
            }
            for (String value : t.values()) {
                if (t.numeric()) {
                    if (!isPlainNumber(value)) {
                        throw new IllegalArgumentException("not a plain number: " + value);
                    }
                    task.option("-" + t.tag() + "#=" + value);
                } else {
                    Path file = scratch.resolve("value-" + (n++));
                    Files.writeString(file, value, StandardCharsets.UTF_8);
                    task.option("-" + t.tag() + "<=" + file.toAbsolutePath());
                }
            }
        }
        if (iptc && !spec.tags().isEmpty()) {
            task.option("-IPTC:CodedCharacterSet=UTF8");
        }
        task.option("-o").value(output.toAbsolutePath().toString()).file(source.toAbsolutePath());
        ExifToolResult result = pool.execute(task.build());
        List<String> problems = problems(result.stderr());
        try {
            for (String problem : problems) {
                Matcher cant = CANT_WRITE.matcher(problem);
                if (cant.find()) {
                    throw new MetadataWriteException(MetadataWriteException.FORMAT_NOT_WRITABLE, null,
                            "This file format cannot be written: " + cant.group() + ".");
                }
                EditSpec.TagValue culprit = culprit(problem, spec);
                if (culprit != null) {
                    throw new MetadataWriteException(MetadataWriteException.INVALID_FIELD, culprit.field(),
                            "'" + culprit.field() + "': ExifTool refused the value for "
                                    + culprit.tag() + ": " + clean(problem, source, output));
                }
            }
            if (!Files.isRegularFile(output)) {
                throw new MetadataWriteException(MetadataWriteException.WRITE_FAILED, null,
                        "The file could not be written: " + (problems.isEmpty() ? "no output"
                                : clean(String.join("; ", problems), source, output)));
            }
        } catch (MetadataWriteException e) {
            Files.deleteIfExists(output);
            throw e;
        }
    }

    private static boolean isTiff(Path file) throws IOException {
        byte[] head = new byte[4];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4) return false;
        }
        return (head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42);
    }

    /** What {@link EditSpec.TagValue#numeric()} values must look like: at most 15 digits either side of the point. */
    public static boolean isPlainNumber(String value) {
        return NUMBER.matcher(value).matches();
    }

    /** Error and warning lines, without the ones that only say what the write did on purpose. */
    private static List<String> problems(String stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("Error:")) {
                out.add(l.substring(6).strip());
            } else if (l.startsWith("Warning:")) {
                String w = l.substring(8).strip();
                if (!BENIGN_WARNING.matcher(w).find()) {
                    out.add(w);
                }
            } else if (!l.isEmpty() && !l.matches("\\d+ .*(files|file) .*")) {
                out.add(l);
            }
        }
        return out;
    }

    /** The requested tag a warning is about, matched as a whole word of ExifTool's message. */
    private static EditSpec.TagValue culprit(String problem, EditSpec spec) {
        String p = problem.toLowerCase(Locale.ROOT);
        for (EditSpec.TagValue t : spec.tags()) {
            String name = WritableTags.tagName(t.tag()).toLowerCase(Locale.ROOT);
            if (Pattern.compile("(^|[^a-z0-9])" + Pattern.quote(name) + "([^a-z0-9]|$)").matcher(p).find()) {
                return t;
            }
        }
        return null;
    }

    /** ExifTool's message without our server paths. */
    private static String clean(String message, Path source, Path output) {
        return message.replace(" - " + source.toAbsolutePath(), "").replace(source.toAbsolutePath().toString(), "file")
                .replace(output.toAbsolutePath().toString(), "file");
    }
}
