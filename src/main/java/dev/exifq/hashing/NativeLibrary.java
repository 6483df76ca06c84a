package dev.exifq.hashing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.jboss.logging.Logger;

/**
 * Loads one of the optional JNI decoders that {@code scripts/build-native} puts in the jar under
 * {@code native/<os>-<arch>/}, or the file a system property / environment variable names instead ({@code none}
 * turns it off). Says once, in the log, which decoder hashing uses and why.
 */
final class NativeLibrary {
    private static final Logger LOG = Logger.getLogger(NativeLibrary.class);

    private NativeLibrary() {
    }

    /**
     * @param file      the library's file name in the jar, e.g. {@code libexifqjpeg.so}
     * @param property  system property naming a library file to load instead (or {@code none})
     * @param env       the environment variable for the same
     * @param what      what it decodes, for the log, e.g. "JPEG"
     * @param otherwise what happens without it, for the log
     * @return whether it was loaded
     */
    static boolean load(String file, String property, String env, String what, String otherwise) {
        String configured = System.getProperty(property, System.getenv().getOrDefault(env, ""));
        try {
            if ("none".equalsIgnoreCase(configured)) {
                LOG.infof("Native %s decoder turned off; %s", what, otherwise);
                return false;
            }
            if (!configured.isBlank()) {
                System.load(Path.of(configured).toAbsolutePath().toString());
                LOG.infof("%s hashing uses the native decoder %s", what, configured);
                return true;
            }
            String resource = "native/" + platform() + "/" + file;
            try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
                if (in == null) {
                    LOG.infof("No native %s decoder for %s in the build (see scripts/build-native); %s", what,
                            platform(), otherwise);
                    return false;
                }
                Path copy = Files.createTempFile(file.replace(".so", "-"), ".so");
                copy.toFile().deleteOnExit();
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toString());
            }
            LOG.infof("%s hashing uses the native decoder (%s)", what, resource);
            return true;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            LOG.warnf("Could not load the native %s decoder (%s); %s", what, e.getMessage(), otherwise);
            return false;
        }
    }

    private static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        arch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(' ', '-') + "-" + arch;
    }
}
