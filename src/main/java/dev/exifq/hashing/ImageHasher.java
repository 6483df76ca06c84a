package dev.exifq.hashing;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Computes dHash and pHash bit-compatible with Python {@code imagehash} 4.3.2 on Pillow 9.4
 * ({@code str(imagehash.dhash(Image.open(f)))}, {@code str(imagehash.phash(Image.open(f)))}).
 *
 * <p>The pipeline follows Pillow step by step: decode the first image/frame/page without colour management
 * and without EXIF rotation, convert to 8-bit luminance as {@code convert("L")} does for the mode Pillow
 * opens the file in ({@link PillowLuma}), resize with Pillow's fixed-point Lanczos
 * ({@link LanczosResampler}) to 9x8 and 32x32, then imagehash's bit rules ({@link HashMath}).
 *
 * <p>The declared width and height are checked against {@code maxPixels} before any pixel is decoded.
 * Big images are decoded in horizontal bands of at most 72 MiB of decoded samples (3 x
 * {@value #DEFAULT_BAND_PIXELS} bytes: 24 Mpx of YCbCr, 9 Mpx of 16-bit RGBA) that are turned into luminance
 * and fed to the resizers row by row, so only one band of decoded pixels plus about 41 bytes per image row is
 * held at a time. A {@link HashingDeadline} stops the decoding of an image that takes too long.
 *
 * <p>Thread-safe: an instance holds only configuration; every call uses its own reader.
 */
public final class ImageHasher {
    /**
     * Pixels of 3 bytes decoded per band for large images (a YCbCr band is then about 72 MiB; formats with more
     * bytes a pixel get fewer pixels). Big enough for a 24 MP camera JPEG in one pass: a JPEG band below the top
     * is decoded from the first row again, so two bands cost about 1.5 decodes.
     */
    static final long DEFAULT_BAND_PIXELS = 24L * 1024 * 1024;

    private final long maxPixels;
    private final long bandPixels;
    private final boolean nativeJpeg;
    private final boolean ownDecoders;
    /**
     * Decodes through the JDK's readers at once: each holds a band of up to 72 MiB, and they are CPU-bound, so
     * more than cores only adds memory. The native JPEG decoder holds no band on the heap and takes no slot for
     * an image within one band, so a camera JPEG is not queued behind giant PNGs.
     */
    private final Semaphore decodeSlots;
    /**
     * Decodes of images over one band ({@link #large}) take these instead, half as many: they run for seconds
     * (up to the deadline), and with the same slots a few giant PNGs would make every small PNG or TIFF wait.
     */
    private final Semaphore largeSlots;
    private final int largeConcurrency;

    /**
     * @param maxPixels the most pixels (width x height) an image may declare; larger ones are refused with
     *                  {@link ImageTooLargeException} before decoding
     */
    public ImageHasher(long maxPixels) {
        this(maxPixels, DEFAULT_BAND_PIXELS, true, 0);
    }

    /** @param concurrency the most JDK decodes at once (so at most this x 72 MiB of bands); 0 for no limit */
    public ImageHasher(long maxPixels, int concurrency) {
        this(maxPixels, DEFAULT_BAND_PIXELS, true, concurrency);
    }

    ImageHasher(long maxPixels, long bandPixels, boolean ownDecoders) {
        this(maxPixels, bandPixels, ownDecoders, 0);
    }

    /**
     * For tests: a small {@code bandPixels} forces banded decoding of small images; {@code ownDecoders} false
     * keeps every image on the JDK's decoders: JPEGs even where {@link NativeJpeg} is available, LZW TIFFs
     * ({@link LzwTiffStrips}) too.
     */
    ImageHasher(long maxPixels, long bandPixels, boolean ownDecoders, int concurrency) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        if (bandPixels <= 0) {
            throw new IllegalArgumentException("bandPixels must be positive: " + bandPixels);
        }
        this.maxPixels = maxPixels;
        this.bandPixels = bandPixels;
        this.nativeJpeg = ownDecoders && NativeJpeg.available();
        this.ownDecoders = ownDecoders;
        this.decodeSlots = concurrency > 0 ? new Semaphore(concurrency, true) : null;
        this.largeConcurrency = Math.max(1, concurrency / 2);
        this.largeSlots = concurrency > 0 ? new Semaphore(largeConcurrency, true) : null;
    }

    /** How many decodes of large images run at once (with a concurrency limit; at least 1). */
    public int largeConcurrency() {
        return largeConcurrency;
    }

    /**
     * Whether the file's header declares more decoded pixel data than one band (e.g. over 24 Mpx of 8-bit RGB,
     * 9 Mpx of 16-bit RGBA): such an image takes seconds to hash and a large-image decode slot. Reads the header
     * only (a HEIC/HEIF file's boxes); false for anything it cannot read (hashing then says what is wrong).
     */
    public boolean large(Path file) {
        try (ImageInputStream iis = new FileImageInputStream(file.toFile())) {
            if (NativeHeif.isHeif(iis)) {
                int[] info = heifInfo(readAll(iis));
                return large(info[0], info[1], 3);
            }
            ImageReader reader = Readers.find(iis);
            if (reader == null) {
                return false;
            }
            try {
                boolean jpeg = Readers.format(reader).equals("jpeg");
                if (jpeg) {
                    JpegHeader header = JpegHeader.read(iis);
                    if (header.hasSize()) {
                        return large(header.width, header.height, 3); // see decodeAndHash: no JDK header read
                    }
                }
                // ignoreMetadata: a TIFF's reader then keeps only the tags needed to decode (its size and layout
                // among them), not its EXIF, XMP and IPTC, which the check never reads
                reader.setInput(iis, false, true);
                return large(reader.getWidth(0), reader.getHeight(0), jpeg ? 3 : bytesPerPixel(reader));
            } finally {
                reader.dispose();
            }
        } catch (IOException | UndecodableImageException | RuntimeException e) {
            return false;
        }
    }

    /** Over one band, and not refused for its size anyway. */
    private boolean large(long w, long h, int bytesPerPixel) {
        return w * h <= maxPixels && w * h * bytesPerPixel > bandPixels * 3;
    }

    /** Whether JPEGs are decoded by {@link NativeJpeg} (libjpeg-turbo through JNI) rather than the JDK. */
    public boolean usesNativeJpeg() {
        return nativeJpeg;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Hashes an image file. */
    public ImageHashes hash(Path file) throws UndecodableImageException, ImageTooLargeException {
        try {
            return hash(file, HashingDeadline.NONE);
        } catch (HashingTimeoutException e) {
            throw new IllegalStateException("no deadline, no timeout", e);
        }
    }

    /** Hashes an image file, giving up with {@link HashingTimeoutException} when {@code deadline} passes. */
    public ImageHashes hash(Path file, HashingDeadline deadline)
            throws UndecodableImageException, ImageTooLargeException, HashingTimeoutException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new UndecodableImageException("Not a readable file: " + file.getFileName());
        }
        try (ImageInputStream iis = new FileImageInputStream(file.toFile())) {
            return hash(iis, null, deadline);
        } catch (NoSuchFileException e) {
            throw new UndecodableImageException("Not a readable file: " + file.getFileName(), e);
        } catch (IOException e) {
            deadline.check(); // the deadline closed the file under the decoder
            throw new UndecodableImageException("Could not read the image file: " + e.getMessage(), e);
        }
    }

    /**
     * Hashes an image read from a stream (e.g. a preview JPEG embedded in another file). The stream is read
     * as far as needed and not closed.
     */
    public ImageHashes hash(InputStream in) throws UndecodableImageException, ImageTooLargeException {
        Objects.requireNonNull(in, "in");
        try (ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            return hash(iis, null, HashingDeadline.NONE);
        } catch (HashingTimeoutException e) {
            throw new IllegalStateException("no deadline, no timeout", e);
        } catch (IOException e) {
            throw new UndecodableImageException("Could not read the image data: " + e.getMessage(), e);
        }
    }

    /** Hashes an image held in memory (e.g. a preview extracted from a raw file); the array is not modified. */
    public ImageHashes hash(byte[] data) throws UndecodableImageException, ImageTooLargeException {
        try {
            return hash(data, HashingDeadline.NONE);
        } catch (HashingTimeoutException e) {
            throw new IllegalStateException("no deadline, no timeout", e);
        }
    }

    /** Hashes an image held in memory, giving up with {@link HashingTimeoutException} when {@code deadline} passes. */
    public ImageHashes hash(byte[] data, HashingDeadline deadline)
            throws UndecodableImageException, ImageTooLargeException, HashingTimeoutException {
        Objects.requireNonNull(data, "data");
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            return hash(iis, data, deadline);
        } catch (IOException e) {
            deadline.check();
            throw new UndecodableImageException("Could not read the image data: " + e.getMessage(), e);
        }
    }

    /** @param data the whole input when the caller has it in memory, else null */
    private ImageHashes hash(ImageInputStream iis, byte[] data, HashingDeadline deadline)
            throws UndecodableImageException, ImageTooLargeException, HashingTimeoutException {
        ImageReader reader = null;
        try {
            if (NativeHeif.isHeif(iis)) {
                return hashHeif(data != null ? data : readAll(iis), deadline);
            }
            reader = Readers.find(iis);
            if (reader == null) {
                throw new UndecodableImageException(
                        "Unrecognised or unsupported image format (supported: JPEG, PNG, GIF, BMP, TIFF, WebP, PSD, JPEG 2000)");
            }
            JpegHeader jpegHeader = Readers.format(reader).equals("jpeg") ? JpegHeader.read(iis) : null;
            byte[] jpegBytes = jpegHeader == null || !nativeJpeg ? null : data != null ? data : readAll(iis);
            reader.setInput(iis, false, false);
            return decodeAndHash(reader, jpegHeader, jpegBytes, deadline);
        } catch (UndecodableImageException | ImageTooLargeException | HashingTimeoutException e) {
            throw e;
        } catch (IOException e) {
            deadline.check(); // an aborted decoder may fail in any way
            throw new UndecodableImageException("The image data is corrupt or truncated: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            throw new UndecodableImageException("Not enough memory to decode the image", e);
        } catch (RuntimeException | StackOverflowError e) {
            deadline.check();
            // decoder internals (index out of bounds, ...) mean nothing to an API user; keep them as the cause
            throw new UndecodableImageException("The image data is corrupt or uses an unsupported feature", e);
        } finally {
            if (reader != null) {
                try {
                    reader.dispose();
                } catch (RuntimeException ignored) {
                    // nothing useful to do
                }
            }
        }
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    /** The whole stream from its start; the position is restored. */
    private static byte[] readAll(ImageInputStream iis) throws IOException {
        iis.mark();
        try {
            iis.seek(0);
            long length = iis.length();
            if (length > 0 && length < Integer.MAX_VALUE - 16) {
                byte[] all = new byte[(int) length];
                iis.readFully(all);
                return all;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = iis.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            iis.reset();
        }
    }

    private ImageHashes decodeAndHash(ImageReader reader, JpegHeader jpegHeader, byte[] jpegBytes,
            HashingDeadline deadline)
            throws IOException, UndecodableImageException, ImageTooLargeException, HashingTimeoutException {
        String format = Readers.format(reader);
        // A JPEG for libjpeg takes its size from the frame header we read anyway: the JDK reader's header read
        // builds a colour transform for an embedded ICC profile (to test the profile), about 3 ms of CPU per
        // photo, more than decoding a 1 Mpx one. Should libjpeg fail, the JDK path below reads the size itself.
        boolean headerSize = jpegBytes != null && jpegHeader.hasSize()
                && jpegHeader.colorSpace() != JpegHeader.ColorSpace.UNKNOWN;
        int w = headerSize ? jpegHeader.width : reader.getWidth(0);
        int h = headerSize ? jpegHeader.height : reader.getHeight(0);
        if (w <= 0 || h <= 0) {
            throw new UndecodableImageException("The image declares an invalid size " + w + " x " + h);
        }
        // Pillow's size for a GIF is the logical screen (grown to hold the first frame); the JDK reports the frame
        GifCanvas gif = format.equals("gif") ? GifCanvas.of(reader, w, h) : null;
        int canvasW = gif != null ? gif.width : w;
        int canvasH = gif != null ? gif.height : h;
        if ((long) canvasW * canvasH > maxPixels) {
            throw new ImageTooLargeException(canvasW, canvasH, maxPixels);
        }
        if ((long) w * h > maxPixels) {
            throw new ImageTooLargeException(w, h, maxPixels);
        }
        int offX = gif != null ? gif.left : 0;
        int offY = gif != null ? gif.top : 0;

        // JPEG: the JDK reader would apply an embedded ICC profile (Pillow does not), so take the raw
        // upsampled samples (readRaster) and convert them as libjpeg does for Pillow.
        boolean rawJpeg = format.equals("jpeg");
        PillowLuma luma = null;
        if (rawJpeg) {
            JpegHeader.ColorSpace cs = jpegHeader.colorSpace();
            if (cs == JpegHeader.ColorSpace.UNKNOWN) {
                throw new UndecodableImageException("Unsupported JPEG with " + jpegHeader.components + " components");
            }
            luma = PillowLuma.forJpeg(cs);
            if (jpegBytes != null) {
                // libjpeg keeps a progressive JPEG's coefficients for the whole image (about 3 bytes a pixel)
                // natively, so one over a band's size takes a slot like a JDK decode; camera JPEGs do not wait
                boolean big = large(w, h, 3);
                if (big) {
                    acquire(largeSlots, deadline);
                }
                ImageHashes hashes;
                try {
                    hashes = nativeHash(jpegBytes, w, h);
                } finally {
                    if (big && largeSlots != null) {
                        largeSlots.release();
                    }
                }
                deadline.check();
                if (hashes != null) {
                    return hashes;
                }
                if (headerSize && (reader.getWidth(0) != w || reader.getHeight(0) != h)) {
                    // never seen (both read the first frame header); the JDK path decides with its own size
                    return decodeAndHash(reader, jpegHeader, null, deadline);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        Frame frame = new Frame(format, w, h, canvasW, canvasH, offX, offY, gif);
        OwnBands own = ownBands(reader, format, w, h, deadline);
        int pixelBytes = bytesPerPixel(reader); // once: a TIFF's is read from its IFD, not cached by the reader
        Semaphore slots = large(w, h, rawJpeg ? 3 : pixelBytes) ? largeSlots : decodeSlots;
        acquire(slots, deadline);
        try (AutoCloseable abort = deadline.abortAtDeadline(reader)) {
            while (true) {
                try {
                    return hashRows(reader, frame, luma, warnings, own, pixelBytes, deadline);
                } catch (OwnBands.Refused refused) {
                    deadline.check(); // refused because the deadline closed the input: a timeout, not a bad file
                    own.close();
                    own = null; // hashed again from the start by the JDK's reader, which decides what the file is worth
                }
            }
        } catch (IOException | UndecodableImageException | HashingTimeoutException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // only from closing the abort handle, which does not throw
        } finally {
            if (own != null) {
                own.close();
            }
            if (slots != null) {
                slots.release();
            }
        }
    }

    /**
     * Our decoder for this frame where we have one: LZW TIFF strips, and a PNG over one band (the JDK's reader
     * decodes it from the top for every band; within one band it takes one pass too).
     */
    private OwnBands ownBands(ImageReader reader, String format, int w, int h, HashingDeadline deadline) {
        if (!ownDecoders) {
            return null;
        }
        if (format.equals("tif")) {
            return LzwTiffStrips.of(reader, w, h);
        }
        if (format.equals("png") && Readers.supportsExactBands(reader) && bandRows(w, h, bytesPerPixel(reader)) < h) {
            return PngBands.of(reader, w, h, deadline);
        }
        return null;
    }

    private static void acquire(Semaphore slots, HashingDeadline deadline) throws HashingTimeoutException {
        if (slots == null) {
            return;
        }
        try {
            if (!slots.tryAcquire(Math.min(deadline.remainingNanos(), Long.MAX_VALUE / 2), TimeUnit.NANOSECONDS)) {
                throw deadline.timeout();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw deadline.timeout();
        }
    }

    /** The decoded frame's size and place on Pillow's canvas (they differ for a GIF only). */
    private record Frame(String format, int w, int h, int canvasW, int canvasH, int offX, int offY, GifCanvas gif) {}

    /** Decodes the frame band by band (through {@code own} where given) and feeds its luminance to the resizers. */
    private ImageHashes hashRows(ImageReader reader, Frame frame, PillowLuma jpegLuma, List<String> warnings,
            OwnBands own, int pixelBytes, HashingDeadline deadline)
            throws IOException, UndecodableImageException, OwnBands.Refused, HashingTimeoutException {
        String format = frame.format();
        int w = frame.w();
        int h = frame.h();
        int canvasW = frame.canvasW();
        int canvasH = frame.canvasH();
        int offX = frame.offX();
        int offY = frame.offY();
        GifCanvas gif = frame.gif();
        boolean rawJpeg = format.equals("jpeg");
        PillowLuma luma = jpegLuma;

        LanczosResampler small = new LanczosResampler(canvasW, canvasH, 9, 8);
        LanczosResampler tall = new LanczosResampler(canvasW, canvasH, 8, 9);
        LanczosResampler large = new LanczosResampler(canvasW, canvasH, 32, 32);
        int[] line = new int[canvasW];
        int[] frameLine = null;
        PillowLuma.Scratch scratch = null;
        int nextCanvasRow = 0;

        int bandRows = Readers.supportsExactBands(reader) ? bandRows(w, h, pixelBytes) : h;
        for (int y0 = 0; y0 < h; y0 += bandRows) {
            deadline.check();
            int rows = Math.min(bandRows, h - y0);
            ImageReadParam param = reader.getDefaultReadParam();
            if (rows < h) {
                param.setSourceRegion(new Rectangle(0, y0, w, rows));
            }
            Raster raster;
            if (rawJpeg) {
                raster = reader.readRaster(0, param);
            } else {
                BufferedImage image = own != null ? own.read(y0, rows) : reader.read(0, param);
                raster = image.getRaster();
                if (luma == null) {
                    luma = chooseLuma(reader, format, image.getColorModel(), raster);
                }
            }
            deadline.check(); // before anything else: an aborted read returns a partial band
            checkWarnings(format, warnings);
            if (raster.getWidth() != w || raster.getHeight() != rows) {
                throw new UndecodableImageException("The decoder returned " + raster.getWidth() + " x "
                        + raster.getHeight() + " pixels for a " + w + " x " + rows + " region");
            }
            if (scratch == null) {
                scratch = luma.newScratch(raster);
            }
            int fill = gif != null ? luma.paletteLuma(gif.fillIndex) : 0;
            for (int yy = 0; yy < rows; yy++) {
                int canvasRow = offY + y0 + yy;
                for (; nextCanvasRow < canvasRow; nextCanvasRow++) {
                    emitFillRow(nextCanvasRow, line, fill, small, tall, large);
                }
                if (gif != null) {
                    Arrays.fill(line, fill);
                }
                // the frame row goes at offX; convertRow writes w values from the start of its buffer
                if (offX == 0) {
                    luma.convertRow(raster, yy, line, scratch);
                } else {
                    if (frameLine == null) {
                        frameLine = new int[w];
                    }
                    luma.convertRow(raster, yy, frameLine, scratch);
                    System.arraycopy(frameLine, 0, line, offX, w);
                }
                small.acceptRow(canvasRow, line, 0);
                tall.acceptRow(canvasRow, line, 0);
                large.acceptRow(canvasRow, line, 0);
                nextCanvasRow = canvasRow + 1;
            }
        }
        if (nextCanvasRow < canvasH) {
            int fill = luma.paletteLuma(gif != null ? gif.fillIndex : 0);
            for (; nextCanvasRow < canvasH; nextCanvasRow++) {
                emitFillRow(nextCanvasRow, line, fill, small, tall, large);
            }
        }
        return hashes(small, tall, large, canvasW, canvasH);
    }

    /** Rows per band so that a band's decoded samples stay within 3 x bandPixels bytes. */
    int bandRows(int w, int h, int bytesPerPixel) {
        return (int) Math.max(1, Math.min(h, bandPixels * 3 / ((long) w * bytesPerPixel)));
    }

    /** Bytes a decoded pixel takes in the reader's raster (8 for 16-bit RGBA); 4 when the reader will not say. */
    static int bytesPerPixel(ImageReader reader) {
        try {
            Integer tiff = TiffPixelBytes.of(reader);
            if (tiff != null) {
                return tiff;
            }
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type == null) {
                return 4;
            }
            SampleModel sm = type.getSampleModel(1, 1);
            int bits = DataBuffer.getDataTypeSize(sm.getDataType()) * sm.getNumDataElements();
            return Math.max(1, (bits + 7) / 8);
        } catch (IOException | RuntimeException e) {
            return 4;
        }
    }

    /**
     * A HEIC/HEIF file through {@link NativeHeif}, decoded as pillow-heif decodes it; the width and height are
     * the decoded image's (after its transformations), as pillow-heif reports them. Takes a decode slot: HEVC
     * decoding costs several times a JPEG's CPU, and libheif holds the whole decoded image natively.
     */
    private ImageHashes hashHeif(byte[] file, HashingDeadline deadline)
            throws UndecodableImageException, ImageTooLargeException, HashingTimeoutException {
        int[] info = heifInfo(file);
        int w = info[0];
        int h = info[1];
        if ((long) w * h > maxPixels) {
            throw new ImageTooLargeException(w, h, maxPixels);
        }
        LanczosResampler small = new LanczosResampler(w, h, 9, 8);
        LanczosResampler tall = new LanczosResampler(w, h, 8, 9);
        LanczosResampler large = new LanczosResampler(w, h, 32, 32);
        String[] message = new String[1];
        Semaphore slots = large(w, h, 3) ? largeSlots : decodeSlots;
        acquire(slots, deadline);
        int result;
        try {
            result = NativeHeif.decodeRows(file, w, h, info[2], maxPixels, deadline.remainingNanos(), message,
                    small, tall, large);
        } finally {
            if (slots != null) {
                slots.release();
            }
        }
        if (result == NativeHeif.CANCELLED) {
            throw deadline.timeout();
        }
        deadline.check();
        if (result != NativeHeif.OK) {
            throw heifRefusal(result, message[0]);
        }
        return hashes(small, tall, large, w, h);
    }

    /** {width, height, channels} of the primary image as pillow-heif opens it, or why it cannot be hashed. */
    private static int[] heifInfo(byte[] file) throws UndecodableImageException {
        if (!NativeHeif.available()) {
            throw new UndecodableImageException("HEIC/HEIF decoding (libheif 1.19 or later) is not available on "
                    + "this server");
        }
        int[] info = new int[3];
        String[] message = new String[1];
        // no pixel limit of ours here, so that an image over it gets ImageTooLargeException, not libheif's words
        int result = NativeHeif.probe(file, 0, info, message);
        if (result != NativeHeif.OK) {
            throw heifRefusal(result, message[0]);
        }
        if (info[0] <= 0 || info[1] <= 0) {
            throw new UndecodableImageException("The image declares an invalid size " + info[0] + " x " + info[1]);
        }
        return info;
    }

    private static UndecodableImageException heifRefusal(int result, String message) {
        return new UndecodableImageException(result == NativeHeif.UNSUPPORTED
                ? "Unsupported HEIC/HEIF image: " + message
                : "The HEIC/HEIF file is damaged or unsupported: " + message);
    }

    /**
     * The JPEG through {@link NativeJpeg}; null where the JDK path should decide (libjpeg failed, or the file is
     * truncated: both paths then give the same answer and message, at the cost of a second decode of a bad file).
     */
    private static ImageHashes nativeHash(byte[] jpeg, int w, int h) throws UndecodableImageException {
        LanczosResampler small = new LanczosResampler(w, h, 9, 8);
        LanczosResampler tall = new LanczosResampler(w, h, 8, 9);
        LanczosResampler large = new LanczosResampler(w, h, 32, 32);
        int result = NativeJpeg.decodeRows(jpeg, w, h, small, tall, large);
        if (result == NativeJpeg.TOO_MANY_SCANS) {
            throw new UndecodableImageException("The JPEG file has too many scans (a decompression bomb?)");
        }
        return result == NativeJpeg.OK ? hashes(small, tall, large, w, h) : null;
    }

    /** imagehash's bits, and those of the eight orientations, from the filled resamplers (9x8, 8x9, 32x32). */
    private static ImageHashes hashes(LanczosResampler small, LanczosResampler tall, LanczosResampler large,
            int width, int height) {
        byte[] l9x8 = small.result();
        byte[] l32x32 = large.result();
        long dhash = HashMath.dhash(l9x8);
        long phash = HashMath.phash(l32x32);
        return new ImageHashes(Hamming.hex(dhash), Hamming.hex(phash), width, height,
                HashMath.oriented(l9x8, tall.result(), l32x32));
    }

    private static void emitFillRow(int y, int[] line, int fill, LanczosResampler small, LanczosResampler tall,
            LanczosResampler large) {
        Arrays.fill(line, fill);
        small.acceptRow(y, line, 0);
        tall.acceptRow(y, line, 0);
        large.acceptRow(y, line, 0);
    }

    /**
     * Pillow refuses a JPEG whose data ends early ("image file is truncated"), even if only the end-of-image
     * marker is missing; the JDK fills in grey and warns. Follow Pillow.
     */
    private static void checkWarnings(String format, List<String> warnings) throws UndecodableImageException {
        if (!format.equals("jpeg")) {
            return;
        }
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("missing eoi") || lower.contains("premature end of jpeg file")) {
                throw new UndecodableImageException("The JPEG file is truncated");
            }
        }
    }

    private static PillowLuma chooseLuma(ImageReader reader, String format, ColorModel cm, Raster raster) {
        if (format.equals("tif") && cm instanceof IndexColorModel) {
            PillowLuma tiffPalette = tiffPalette(reader, cm);
            if (tiffPalette != null) {
                return tiffPalette;
            }
        }
        return PillowLuma.forColorModel(cm, raster.getSampleModel());
    }

    /**
     * Pillow builds a TIFF palette from the 16-bit ColorMap as {@code value // 256}; the JDK scales it
     * differently, so the map is read from the TIFF directory.
     */
    private static PillowLuma tiffPalette(ImageReader reader, ColorModel cm) {
        try {
            IIOMetadata md = reader.getImageMetadata(0);
            TIFFDirectory dir = TIFFDirectory.createFromMetadata(md);
            TIFFField map = dir.getTIFFField(BaselineTIFFTagSet.TAG_COLOR_MAP);
            if (map == null || map.getCount() % 3 != 0) {
                return null;
            }
            int n = map.getCount() / 3;
            int[] r = new int[n];
            int[] g = new int[n];
            int[] b = new int[n];
            for (int i = 0; i < n; i++) {
                r[i] = map.getAsInt(i) >> 8;
                g[i] = map.getAsInt(n + i) >> 8;
                b[i] = map.getAsInt(2 * n + i) >> 8;
            }
            return PillowLuma.forPalette(cm, r, g, b);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
