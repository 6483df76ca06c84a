package dev.exifq.testing;

import dev.exifq.hashing.Orientation;

import java.awt.image.BufferedImage;

/** Images turned pixel by pixel, written out per turn rather than through Orientation's own matrices. */
public final class Turns {
    private Turns() {}

    /** {@code src} turned by {@code o} (rotate90 is a quarter turn clockwise), as RGB. */
    public static BufferedImage turn(BufferedImage src, Orientation o) {
        int w = src.getWidth();
        int h = src.getHeight();
        int outW = o.swapsAxes() ? h : w;
        int outH = o.swapsAxes() ? w : h;
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // where (x, y) lands
                int[] to = switch (o) {
                    case IDENTITY -> new int[]{x, y};
                    case MIRROR -> new int[]{w - 1 - x, y};
                    case FLIP -> new int[]{x, h - 1 - y};
                    case ROTATE180 -> new int[]{w - 1 - x, h - 1 - y};
                    case ROTATE90 -> new int[]{outW - 1 - y, x};
                    case ROTATE270 -> new int[]{y, outH - 1 - x};
                    case TRANSPOSE -> new int[]{y, x};
                    case TRANSVERSE -> new int[]{outW - 1 - y, outH - 1 - x};
                };
                out.setRGB(to[0], to[1], src.getRGB(x, y));
            }
        }
        return out;
    }
}
