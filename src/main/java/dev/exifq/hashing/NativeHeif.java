package dev.exifq.hashing;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import javax.imageio.stream.ImageInputStream;

import org.jboss.logging.Logger;

/**
 * The optional JNI decoder for HEIC/HEIF hashing ({@code src/main/c/exifq_heif.c}, built by
 * {@code scripts/build-native} against libheif 1.19 or later and carried in the jar): it decodes the primary
 * image exactly as pillow-heif does for {@code Image.open} (libheif's default options plus
 * {@code convert_hdr_to_8bit}, transformations applied, ICC profile not applied, interleaved 8-bit RGB/RGBA or
 * grey), turns the rows into Pillow's luminance and runs the resizers' horizontal passes, as {@link NativeJpeg}
 * does for JPEGs. There is no Java fallback: without it (library missing, or libheif older than 1.19, which
 * rounds differently, or no HEVC decoder plugin) {@link #available()} is false and HEIC files get a hash_error.
 *
 * <p>{@code exifq.hashing.native-heif-library} (system property or env
 * {@code EXIFQ_HASHING_NATIVE_HEIF_LIBRARY}) names a library file to load instead of the jar's (the container
 * image builds one against its own libheif); {@code none} turns it off.
 */
final class NativeHeif {
    private static final Logger LOG = Logger.getLogger(NativeHeif.class);

    /** Results of {@link #probe} and {@link #decodeRows}; keep in step with exifq_heif.c. */
    static final int OK = 0;
    /** libheif refused the file; the message says why. */
    static final int ERROR = 1;
    /** The deadline passed during the decode. */
    static final int CANCELLED = 2;
    /** A kind of image not hashed here; the message says which. */
    static final int UNSUPPORTED = 3;

    /** libheif 1.19.0 as {@code heif_get_version_number()} writes it: the oldest that decodes as pillow-heif. */
    private static final int OLDEST_LIBHEIF = 0x01130000;
    private static final String WITHOUT = "HEIC/HEIF files get no hashes (hash_error)";

    /** The major brands pillow-heif's opener accepts (as_plugin._is_supported_heif); AVIF is not among them. */
    private static final Set<String> BRANDS =
            Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1");

    private static final boolean AVAILABLE = load();

    private NativeHeif() {
    }

    static boolean available() {
        return AVAILABLE;
    }

    /** Whether the stream holds a file pillow-heif opens: an ftyp box first with one of its brands. Position kept. */
    static boolean isHeif(ImageInputStream iis) throws IOException {
        byte[] head = new byte[12];
        iis.mark();
        try {
            iis.seek(0);
            iis.readFully(head);
        } catch (EOFException e) {
            return false;
        } finally {
            iis.reset();
        }
        return new String(head, 4, 4, StandardCharsets.ISO_8859_1).equals("ftyp")
                && BRANDS.contains(new String(head, 8, 4, StandardCharsets.ISO_8859_1));
    }

    /**
     * The primary image as pillow-heif opens it: {@code info} receives {width, height, channels} (after
     * transformations; channels 1 for grey, 3 RGB, 4 RGBA); {@code message[0]} says why when not {@link #OK}.
     */
    static native int probe(byte[] data, long maxPixels, int[] info, String[] message);

    /**
     * Decodes the primary image of {@code width x height} with {@code channels} (from {@link #probe}) and fills
     * the three resamplers' horizontally resampled rows; after anything but {@link #OK} they are untouched.
     */
    static int decodeRows(byte[] data, int width, int height, int channels, long maxPixels, long timeoutNanos,
            String[] message, LanczosResampler a, LanczosResampler b, LanczosResampler c) {
        LanczosResampler.NativePass pa = a.nativePass();
        LanczosResampler.NativePass pb = b.nativePass();
        LanczosResampler.NativePass pc = c.nativePass();
        return decodeRows(data, width, height, channels, maxPixels, timeoutNanos, message,
                pa.params(), pa.bounds(), pa.fixed(), pa.temp(), pb.params(), pb.bounds(), pb.fixed(), pb.temp(),
                pc.params(), pc.bounds(), pc.fixed(), pc.temp());
    }

    private static native int decodeRows(byte[] data, int width, int height, int channels, long maxPixels,
            long timeoutNanos, String[] message,
            int[] params1, int[] bounds1, int[] fixed1, byte[] temp1,
            int[] params2, int[] bounds2, int[] fixed2, byte[] temp2,
            int[] params3, int[] bounds3, int[] fixed3, byte[] temp3);

    private static native String libheifVersion();

    private static native int libheifVersionNumber();

    private static native boolean canDecodeHevc();

    private static boolean load() {
        if (!NativeLibrary.load("libexifqheif.so", "exifq.hashing.native-heif-library",
                "EXIFQ_HASHING_NATIVE_HEIF_LIBRARY", "HEIC/HEIF", WITHOUT)) {
            return false;
        }
        try {
            if (Integer.compareUnsigned(libheifVersionNumber(), OLDEST_LIBHEIF) < 0) {
                LOG.warnf("libheif %s is older than 1.19 and would give other hashes than pillow-heif; %s "
                        + "(Debian 12: apt-get install -t bookworm-backports libheif1 libheif-plugin-libde265)",
                        libheifVersion(), WITHOUT);
                return false;
            }
            if (!canDecodeHevc()) {
                LOG.warnf("libheif %s has no HEVC decoder plugin; %s (Debian: apt-get install "
                        + "libheif-plugin-libde265)", libheifVersion(), WITHOUT);
                return false;
            }
            LOG.infof("HEIC/HEIF hashing decodes with libheif %s", libheifVersion());
            return true;
        } catch (UnsatisfiedLinkError e) {
            LOG.warnf("The native HEIC/HEIF decoder does not match this build (%s); %s", e.getMessage(), WITHOUT);
            return false;
        }
    }
}
