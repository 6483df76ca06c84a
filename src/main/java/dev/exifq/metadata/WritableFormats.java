package dev.exifq.metadata;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Whether ExifTool can write a file's format, asked before a write is accepted (the bulk endpoints check every
 * file before counting any): the type ExifTool finds by content ({@code -fast2 -FileTypeExtension}; uploads have
 * no extension, and {@code -fast3} stops too early there: a WebP is only "RIFF", a HEIC or CR3 "MOV"), never the
 * client's file name, against ExifTool's own list of writable formats ({@code -listwf}, read once).
 */
public final class WritableFormats {
    private final ExifToolPool pool;
    private final Lazy<Set<String>> writable = new Lazy<>(this::load);

    public WritableFormats(ExifToolPool pool) {
        this.pool = pool;
    }

    /** The file's type as ExifTool names it (e.g. {@code JPG}, {@code BMP}), or null when it does not know it. */
    public String type(Path file) {
        ExifToolResult r = pool.execute(ExifToolTask.builder().option("-fast2").option("-s3")
                .option("-FileTypeExtension").file(file.toAbsolutePath()).build());
        String ext = r.stdoutText().strip().toUpperCase(Locale.ROOT);
        return ext.isEmpty() || ext.contains("\n") ? null : ext;
    }

    public boolean canWrite(String type) {
        return type != null && writable.get().contains(type);
    }

    /** {@code exiftool -listwf}: a heading line, then the extensions separated by blanks. */
    private Set<String> load() {
        String out = pool.execute(ExifToolTask.builder().option("-listwf").build()).stdoutText();
        Set<String> types = new HashSet<>();
        for (String ext : out.substring(out.indexOf(':') + 1).trim().split("\\s+")) {
            if (!ext.isEmpty()) {
                types.add(ext.toUpperCase(Locale.ROOT));
            }
        }
        if (!types.contains("JPG") || types.contains("BMP")) {
            throw new IllegalStateException("exiftool -listwf gave an unexpected list: " + types);
        }
        return Set.copyOf(types);
    }
}
