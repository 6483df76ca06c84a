package dev.exifq.hashing;

/** The image declares more pixels than the configured limit; it was refused before any pixel was decoded. */
public class ImageTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long width;
    private final long height;
    private final long maxPixels;

    public ImageTooLargeException(long width, long height, long maxPixels) {
        super("Image is " + width + " x " + height + " = " + (width * height)
                + " pixels, more than the limit of " + maxPixels + " pixels");
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    public long width() {
        return width;
    }

    public long height() {
        return height;
    }

    public long maxPixels() {
        return maxPixels;
    }
}
