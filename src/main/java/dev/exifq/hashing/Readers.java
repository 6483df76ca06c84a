package dev.exifq.hashing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * The fixed list of ImageIO readers the hasher uses, in order of preference.
 *
 * <p>The JDK's own readers (JPEG, PNG, GIF, BMP, TIFF) come first and are always preferred: they hand
 * back the file's samples without colour management, which is what Pillow does. Plugins that other
 * parts of the application may put on the class path (e.g. a TwelveMonkeys JPEG or TIFF reader, which
 * apply ICC profiles) would change the hashes, so registry order is not trusted. TwelveMonkeys' WebP and PSD
 * readers and the JAI JPEG 2000 reader are instantiated directly, so they work even where the ImageIO registry was initialised with a
 * class loader that cannot see them. WBMP is left out: it has no magic number and Pillow cannot read it.
 */
final class Readers {
    private static final List<ImageReaderSpi> SPIS = build();

    private Readers() {
    }

    private static List<ImageReaderSpi> build() {
        List<ImageReaderSpi> list = new ArrayList<>();
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                false);
        List<ImageReaderSpi> jdk = new ArrayList<>();
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (spi.getClass().getName().startsWith("com.sun.imageio.plugins.") && !isWbmp(spi)) {
                jdk.add(spi);
            }
        }
        jdk.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        list.addAll(jdk);
        list.add(new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi());
        list.add(new com.twelvemonkeys.imageio.plugins.psd.PSDImageReaderSpi());
        list.add(new com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi());
        return List.copyOf(list);
    }

    private static boolean isWbmp(ImageReaderSpi spi) {
        for (String name : spi.getFormatNames()) {
            if (name.equalsIgnoreCase("wbmp")) {
                return true;
            }
        }
        return false;
    }

    private static int rank(ImageReaderSpi spi) {
        String name = spi.getFormatNames()[0].toLowerCase(Locale.ROOT);
        return switch (name) {
            case "jpeg", "jpg" -> 0;
            case "png" -> 1;
            case "tif", "tiff" -> 2;
            case "gif" -> 3;
            case "bmp" -> 4;
            default -> 5;
        };
    }

    /** A new reader for the stream's format, or null if none recognises it. The stream position is kept. */
    static ImageReader find(ImageInputStream iis) throws IOException {
        for (ImageReaderSpi spi : SPIS) {
            boolean match;
            iis.mark();
            try {
                match = spi.canDecodeInput(iis);
            } finally {
                iis.reset();
            }
            if (match) {
                return spi.createReaderInstance();
            }
        }
        return null;
    }

    /** Lower-case primary format name of a reader, e.g. "jpeg", "png", "tif", "gif", "bmp", "webp", "psd". */
    static String format(ImageReader reader) {
        String name = reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT);
        return switch (name) {
            case "jpg" -> "jpeg";
            case "tiff" -> "tif";
            default -> name;
        };
    }

    /** Whether the reader decodes a source region without changing the pixels (so banded decoding is exact). */
    static boolean supportsExactBands(ImageReader reader) {
        return reader.getClass().getName().startsWith("com.sun.imageio.plugins.");
    }
}
