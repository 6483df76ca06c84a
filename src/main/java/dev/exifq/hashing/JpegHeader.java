package dev.exifq.hashing;

import java.io.EOFException;
import java.io.IOException;

import javax.imageio.stream.ImageInputStream;

/**
 * The markers libjpeg uses to decide a JPEG's colour space (jdapimin.c default_decompress_parms): JFIF
 * APP0, Adobe APP14 transform, and the frame's component ids. Read directly from the stream because the
 * JDK's metadata object drops or rejects some markers libjpeg accepts.
 */
final class JpegHeader {
    enum ColorSpace { GRAYSCALE, YCBCR, RGB, CMYK, YCCK, UNKNOWN }

    final int components;
    final boolean jfif;
    /** Adobe transform flag, or -1 without an Adobe marker. */
    final int adobeTransform;
    final int[] componentIds;
    /** The first frame header's size, as libjpeg reads it (0 where the file leaves it to a DNL marker). */
    final int width;
    final int height;

    private JpegHeader(int components, boolean jfif, int adobeTransform, int[] componentIds, int width, int height) {
        this.components = components;
        this.jfif = jfif;
        this.adobeTransform = adobeTransform;
        this.componentIds = componentIds;
        this.width = width;
        this.height = height;
    }

    /** Whether the frame header gives the size (else only a decoder can tell it). */
    boolean hasSize() {
        return width > 0 && height > 0;
    }

    /** libjpeg's guess of the colour space the JPEG data is coded in. */
    ColorSpace colorSpace() {
        switch (components) {
            case 1:
                return ColorSpace.GRAYSCALE;
            case 3:
                if (jfif) {
                    return ColorSpace.YCBCR;
                }
                if (adobeTransform >= 0) {
                    return adobeTransform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
                }
                if (componentIds[0] == 1 && componentIds[1] == 2 && componentIds[2] == 3) {
                    return ColorSpace.YCBCR;
                }
                if (componentIds[0] == 82 && componentIds[1] == 71 && componentIds[2] == 66) {
                    return ColorSpace.RGB; // 'R', 'G', 'B'
                }
                return ColorSpace.YCBCR;
            case 4:
                if (adobeTransform >= 0) {
                    return adobeTransform == 0 ? ColorSpace.CMYK : ColorSpace.YCCK;
                }
                return ColorSpace.CMYK;
            default:
                return ColorSpace.UNKNOWN;
        }
    }

    /** Reads the markers from the current position (SOI) up to the first SOS; the position is restored. */
    static JpegHeader read(ImageInputStream in) throws IOException {
        in.mark();
        try {
            if (in.readUnsignedByte() != 0xFF || in.readUnsignedByte() != 0xD8) {
                throw new IOException("Not a JPEG stream");
            }
            boolean jfif = false;
            int adobe = -1;
            int[] ids = null;
            int width = 0;
            int height = 0;
            while (true) {
                int b = in.readUnsignedByte();
                if (b != 0xFF) {
                    continue; // libjpeg skips garbage before a marker (with a warning)
                }
                int marker;
                do {
                    marker = in.readUnsignedByte();
                } while (marker == 0xFF);
                if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                    continue; // no length
                }
                if (marker == 0xD9) {
                    throw new EOFException("JPEG ends before image data");
                }
                int length = in.readUnsignedShort();
                if (length < 2) {
                    throw new IOException("Bad JPEG marker length");
                }
                long next = in.getStreamPosition() + length - 2;
                if (marker == 0xDA) { // SOS
                    if (ids == null) {
                        throw new IOException("JPEG scan without frame header");
                    }
                    return new JpegHeader(ids.length, jfif, adobe, ids, width, height);
                }
                if (marker == 0xE0 && length - 2 >= 14) {
                    byte[] d = new byte[5];
                    in.readFully(d);
                    jfif |= d[0] == 'J' && d[1] == 'F' && d[2] == 'I' && d[3] == 'F' && d[4] == 0;
                } else if (marker == 0xEE && length - 2 >= 12) {
                    byte[] d = new byte[12];
                    in.readFully(d);
                    if (d[0] == 'A' && d[1] == 'd' && d[2] == 'o' && d[3] == 'b' && d[4] == 'e') {
                        adobe = d[11] & 0xFF;
                    }
                } else if (isSof(marker) && ids == null) {
                    in.readUnsignedByte(); // precision
                    height = in.readUnsignedShort();
                    width = in.readUnsignedShort();
                    int n = in.readUnsignedByte();
                    ids = new int[n];
                    for (int i = 0; i < n; i++) {
                        ids[i] = in.readUnsignedByte();
                        in.readUnsignedByte(); // sampling factors
                        in.readUnsignedByte(); // quantisation table
                    }
                }
                in.seek(next);
            }
        } finally {
            in.reset();
        }
    }

    private static boolean isSof(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
