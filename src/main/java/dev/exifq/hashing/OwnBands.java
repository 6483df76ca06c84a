package dev.exifq.hashing;

import java.awt.image.BufferedImage;

/**
 * A frame read band by band, top to bottom, by one of our decoders instead of the JDK's reader, into the same kind
 * of image the JDK's reader would return for that region, so the rest of the hashing is unchanged.
 */
interface OwnBands extends AutoCloseable {
    /** This file is left to the JDK's reader, which then hashes it from the start and decides what it is worth. */
    class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /** Rows {@code y0} to {@code y0 + rows - 1}, as the JDK's reader would return that region. */
    BufferedImage read(int y0, int rows) throws Refused, HashingTimeoutException;

    /** Frees what the decoder holds outside the heap; nothing by default. */
    @Override
    default void close() {}
}
