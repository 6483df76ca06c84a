package dev.exifq.hashing;

import java.util.Locale;

/**
 * The eight ways to turn a picture without resampling it (the dihedral group of the square), named and numbered as
 * EXIF's Orientation tag: the turn {@code exif} n asks a viewer to apply to the stored pixels to display them.
 * {@code rotate90} is a quarter turn clockwise, {@code mirror} a left-right flip, {@code flip} an upside-down flip,
 * {@code transpose} a flip about the top-left to bottom-right diagonal, {@code transverse} about the other one.
 *
 * <p>Each is the 2x2 matrix taking centred coordinates (x right, y down) of the source to those of the result.
 */
public enum Orientation {
    IDENTITY(1, 1, 0, 0, 1),
    MIRROR(2, -1, 0, 0, 1),
    ROTATE180(3, -1, 0, 0, -1),
    FLIP(4, 1, 0, 0, -1),
    TRANSPOSE(5, 0, 1, 1, 0),
    ROTATE90(6, 0, -1, 1, 0),
    TRANSVERSE(7, 0, -1, -1, 0),
    ROTATE270(8, 0, 1, -1, 0);

    private static final Orientation[] BY_EXIF = values();

    private final int exif;
    /** x' = a x + b y, y' = c x + d y. */
    private final int a;
    private final int b;
    private final int c;
    private final int d;

    Orientation(int exif, int a, int b, int c, int d) {
        this.exif = exif;
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
    }

    /** The API name: identity, mirror, rotate180, flip, transpose, rotate90, transverse, rotate270. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** EXIF Orientation value (1 to 8) whose display turn this is. */
    public int exif() {
        return exif;
    }

    /** The orientation for EXIF value 1..8; anything else (absent, 0, 9, ...) is the identity, as viewers treat it. */
    public static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? BY_EXIF[value - 1] : IDENTITY;
    }

    /** Whether width and height trade places. */
    public boolean swapsAxes() {
        return a == 0;
    }

    /** The turn that undoes this one. */
    public Orientation inverse() {
        // orthogonal: the inverse is the transpose
        return of(a, c, b, d);
    }

    /** This turn, then {@code next}. */
    public Orientation then(Orientation next) {
        return of(next.a * a + next.b * c, next.a * b + next.b * d, next.c * a + next.d * c, next.c * b + next.d * d);
    }

    private static Orientation of(int a, int b, int c, int d) {
        for (Orientation o : BY_EXIF) {
            if (o.a == a && o.b == b && o.c == c && o.d == d) {
                return o;
            }
        }
        throw new IllegalStateException("not a turn of the square");
    }

    /** Parses an API name (case-insensitive); null if it is none of the eight. */
    public static Orientation parse(String name) {
        for (Orientation o : BY_EXIF) {
            if (o.apiName().equalsIgnoreCase(name)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The {@code width x height} image {@code pixels} (row-major, one byte a pixel) turned: a new array of
     * {@code height x width} pixels when {@link #swapsAxes()}, else {@code width x height}.
     */
    public byte[] turn(byte[] pixels, int width, int height) {
        int outW = swapsAxes() ? height : width;
        int outH = swapsAxes() ? width : height;
        byte[] out = new byte[pixels.length];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                // doubled centred coordinates of the result's pixel, mapped back by the inverse (transposed) matrix
                int cx = 2 * x - (outW - 1);
                int cy = 2 * y - (outH - 1);
                int sx = (a * cx + c * cy + width - 1) / 2;
                int sy = (b * cx + d * cy + height - 1) / 2;
                out[y * outW + x] = pixels[sy * width + sx];
            }
        }
        return out;
    }
}
