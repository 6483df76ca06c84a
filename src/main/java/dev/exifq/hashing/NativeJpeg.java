package dev.exifq.hashing;

/**
 * The optional JNI decoder for JPEG hashing ({@code src/main/c/exifq_jpeg.c}, built by {@code scripts/build-native}
 * and carried in the jar): libjpeg-turbo decodes, and luminance and the resizers' horizontal passes run in C on
 * each scanline, about twice as fast as the JDK's decoder plus Java and without the decoded image on the heap.
 * It produces the same bytes as the Java path ({@code NativeJpegTest} compares both on every corpus JPEG and
 * fixture); when the library is missing or cannot be loaded, {@link #available()} is false and the Java path runs.
 *
 * <p>{@code exifq.hashing.native-library} (system property or env {@code EXIFQ_HASHING_NATIVE_LIBRARY}) names a
 * library file to load instead of the jar's (the container image builds one against its own libjpeg);
 * {@code none} turns the native decoder off.
 */
final class NativeJpeg {
    /** Results of {@link #decodeRows}; any other value (libjpeg refused the file, or it is truncated) leaves the
     * answer to the JDK path. Keep in step with exifq_jpeg.c. */
    static final int OK = 0;
    static final int TOO_MANY_SCANS = 1;

    private static final boolean AVAILABLE = load();

    private NativeJpeg() {
    }

    static boolean available() {
        return AVAILABLE;
    }

    /**
     * Decodes {@code data} (a JPEG of {@code width x height}) and fills the three resamplers' horizontally resampled
     * rows. Returns {@link #OK} or why not; after anything but OK the resamplers are untouched.
     */
    static int decodeRows(byte[] data, int width, int height, LanczosResampler a, LanczosResampler b,
            LanczosResampler c) {
        LanczosResampler.NativePass pa = a.nativePass();
        LanczosResampler.NativePass pb = b.nativePass();
        LanczosResampler.NativePass pc = c.nativePass();
        return decodeRows(data, width, height, pa.params(), pa.bounds(), pa.fixed(), pa.temp(),
                pb.params(), pb.bounds(), pb.fixed(), pb.temp(), pc.params(), pc.bounds(), pc.fixed(), pc.temp());
    }

    private static native int decodeRows(byte[] data, int width, int height,
            int[] params1, int[] bounds1, int[] fixed1, byte[] temp1,
            int[] params2, int[] bounds2, int[] fixed2, byte[] temp2,
            int[] params3, int[] bounds3, int[] fixed3, byte[] temp3);

    private static boolean load() {
        return NativeLibrary.load("libexifqjpeg.so", "exifq.hashing.native-library", "EXIFQ_HASHING_NATIVE_LIBRARY",
                "JPEG", "JPEG hashing uses the JDK's decoder");
    }
}
