package dev.exifq.metadata;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One exiftool command for {@link ExifToolPool#execute(ExifToolTask)}: a validated, immutable argument list.
 *
 * <p>In {@code -stay_open} mode every argument travels as one line of exiftool's argfile, so an argument that
 * could be read as more than one line, as a different option, as a comment or as nothing would let data become
 * commands (the CVE-2026-43893 / CVE-2026-40281 class of newline injection). Every argument is therefore checked
 * here, when it is added, before anything reaches a process:
 * <ul>
 *   <li>refused everywhere: null, empty, control characters ({@code \n}, {@code \r}, NUL, tab, ... incl. C1 and
 *       U+2028/U+2029), unpaired surrogates, leading whitespace (exiftool strips it, so {@code " -execute"} would
 *       become an option), a leading {@code #} (exiftool drops argfile comment lines, which shifts every later
 *       argument);</li>
 *   <li>refused as option: anything that drives the stay_open protocol or the framing of this pool:
 *       {@code -stay_open}, {@code -@}, {@code -execute[NUM]}, {@code -common_args}, {@code -config},
 *       {@code -echo[NUM]}, {@code --} (end of options: a later {@code -executeNUM} would be read as a file name),
 *       case-insensitively and also when written with U+2212 MINUS SIGN, which exiftool accepts as a dash;</li>
 *   <li>{@link Builder#value(String)} refuses anything exiftool could read as an option (leading {@code -} or
 *       U+2212); {@link Builder#file(Path)} takes absolute paths only (they start with {@code /}, so never with
 *       {@code -}) and refuses a trailing {@code |} (a pipe in Perl's two-argument open).</li>
 * </ul>
 * Options themselves ({@link Builder#option(String)}) are meant to be constants in our code, never user input.
 */
public final class ExifToolTask {

    /** Default cap on one task's stdout; above it the process is killed and the task fails. */
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 64L * 1024 * 1024;

    private static final char MINUS_SIGN = '\u2212';
    private static final Pattern FORBIDDEN_OPTION = Pattern.compile(
            "-(stay_open|@|execute\\d*|common_args|config|echo\\d*|-)", Pattern.CASE_INSENSITIVE);

    private final List<String> args;
    private final long maxOutputBytes;

    private ExifToolTask(List<String> args, long maxOutputBytes) {
        // One list class for every task, however many arguments: List.copyOf gives a different class for one or two
        // (the start-up "-ver"), and that second class at the pool's and the process's loops over the arguments
        // made the JIT throw their compiled code away and recompile them (half a second of C2 each time) whenever
        // a process was replaced.
        this.args = Collections.unmodifiableList(Arrays.asList(args.toArray(new String[0])));
        this.maxOutputBytes = maxOutputBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The arguments in order, without the pool's framing ({@code -echo4 ...}, {@code -executeNUM}). */
    public List<String> args() {
        return args;
    }

    public long maxOutputBytes() {
        return maxOutputBytes;
    }

    @Override
    public String toString() {
        return "ExifToolTask" + args;
    }

    /**
     * Checks one argument against the rules that hold for every argument (see class comment).
     *
     * @throws IllegalArgumentException if the argument is refused
     */
    static void checkArgument(String arg) {
        if (arg == null) {
            throw new IllegalArgumentException("exiftool argument must not be null");
        }
        if (arg.isEmpty()) {
            throw new IllegalArgumentException("exiftool argument must not be empty (exiftool would drop it)");
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "exiftool argument contains control character U+%04X at %d: %s", (int) c, i, printable(arg)));
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= arg.length() || !Character.isLowSurrogate(arg.charAt(i + 1))) {
                    throw new IllegalArgumentException("exiftool argument contains an unpaired surrogate at " + i);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("exiftool argument contains an unpaired surrogate at " + i);
            }
        }
        char first = arg.charAt(0);
        if (Character.isWhitespace(first) || Character.isSpaceChar(first)) {
            throw new IllegalArgumentException(
                    "exiftool argument must not start with whitespace (exiftool strips it): " + printable(arg));
        }
        if (first == '#') {
            throw new IllegalArgumentException(
                    "exiftool argument must not start with '#' (an argfile comment): " + printable(arg));
        }
        String asOption = first == MINUS_SIGN ? "-" + arg.substring(1) : arg;
        if (FORBIDDEN_OPTION.matcher(asOption).matches()) {
            throw new IllegalArgumentException("exiftool option reserved for the pool's protocol: " + printable(arg));
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Collects arguments in order; every method validates immediately and throws IllegalArgumentException. */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private long maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;

        private Builder() {
        }

        /** An option such as {@code -json}, {@code -g} or {@code -JpgFromRaw}: must start with {@code -}. */
        public Builder option(String option) {
            checkArgument(option);
            if (option.charAt(0) != '-' || option.length() < 2) {
                throw new IllegalArgumentException("exiftool option must start with '-': " + printable(option));
            }
            args.add(option);
            return this;
        }

        /** An option followed by its value, e.g. {@code option("-charset", "filename=utf8")}. */
        public Builder option(String option, String value) {
            option(option);
            return value(value);
        }

        /**
         * A value for the preceding option. Refused if exiftool could read it as an option (leading {@code -} or
         * U+2212), on top of the rules for every argument.
         */
        public Builder value(String value) {
            checkArgument(value);
            char first = value.charAt(0);
            if (first == '-' || first == MINUS_SIGN) {
                throw new IllegalArgumentException(
                        "exiftool value must not start with '-' (it would be read as an option): " + printable(value));
            }
            args.add(value);
            return this;
        }

        /** A file to process: must be absolute, so it cannot be read as an option. */
        public Builder file(Path file) {
            Objects.requireNonNull(file, "file");
            if (!file.isAbsolute()) {
                throw new IllegalArgumentException("exiftool file must be an absolute path: " + file);
            }
            String s = file.normalize().toString();
            checkArgument(s);
            if (s.charAt(0) != '/' && s.charAt(0) != '\\' && !(s.length() > 2 && s.charAt(1) == ':')) {
                throw new IllegalArgumentException("exiftool file must be an absolute path: " + printable(s));
            }
            if (s.endsWith("|")) {
                throw new IllegalArgumentException("exiftool file must not end with '|': " + printable(s));
            }
            args.add(s);
            return this;
        }

        /** Cap on this task's stdout in bytes (default 64 MiB). */
        public Builder maxOutputBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxOutputBytes must be positive: " + bytes);
            }
            this.maxOutputBytes = bytes;
            return this;
        }

        public ExifToolTask build() {
            if (args.isEmpty()) {
                throw new IllegalStateException("an exiftool task needs at least one argument");
            }
            return new ExifToolTask(args, maxOutputBytes);
        }
    }
}
