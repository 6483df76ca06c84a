package dev.exifq.duplicates;

import dev.exifq.hashing.Orientation;
import dev.exifq.testing.Turns;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The edits that make near duplicates in a real library, done with ImageIO and Java2D. */
public final class Transforms {
    private static final Path DIR = Path.of("target", "duplicates-test");

    private Transforms() {}

    static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) throw new IllegalArgumentException("ImageIO cannot read " + file);
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Re-encoded as a JPEG at this quality (0..1). */
    static File reencoded(Path source, float quality, String name) {
        return write(read(source), quality, name);
    }

    /** Half the width and height (bicubic), saved at quality 0.9. */
    public static File halfSize(Path source, String name) {
        BufferedImage src = read(source);
        int w = src.getWidth() / 2;
        int h = src.getHeight() / 2;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return write(out, 0.9f, name);
    }

    /** Every channel times 1.15 (15 % brighter, clipped), saved at quality 0.9. */
    static File brighter(Path source, String name) {
        BufferedImage rgb = rgb(read(source));
        return write(new RescaleOp(1.15f, 0, null).filter(rgb, null), 0.9f, name);
    }

    /** 3 % cut from each side, saved at quality 0.9. */
    static File cropped(Path source, String name) {
        BufferedImage src = read(source);
        int cw = Math.round(src.getWidth() * 0.03f);
        int ch = Math.round(src.getHeight() * 0.03f);
        return write(rgb(src.getSubimage(cw, ch, src.getWidth() - 2 * cw, src.getHeight() - 2 * ch)), 0.9f, name);
    }

    /**
     * The image's pixels turned by {@code o} (rotate90 clockwise), written losslessly as PNG, or as JPEG at quality
     * 0.9 when {@code jpeg}.
     */
    static File turned(Path source, Orientation o, boolean jpeg, String name) {
        BufferedImage out = Turns.turn(read(source), o);
        if (jpeg) {
            return write(out, 0.9f, name);
        }
        try {
            Files.createDirectories(DIR);
            File file = DIR.resolve(name).toFile();
            ImageIO.write(out, "png", file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage rgb(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    private static File write(BufferedImage image, float quality, String name) {
        try {
            Files.createDirectories(DIR);
            File file = DIR.resolve(name).toFile();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            Files.deleteIfExists(file.toPath());
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(rgb(image), null, null), param);
            } finally {
                writer.dispose();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
