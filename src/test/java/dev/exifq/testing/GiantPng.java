package dev.exifq.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The hostile PNG of issue 20: a small file declaring a huge 16-bit RGBA image (12,200 x 12,200 is about 1 MB on
 * disk, under the pixel cap, and took 24 s to hash before hashing was bounded).
 */
public final class GiantPng {
    private GiantPng() {}

    /** IHDR w x h, 16-bit RGBA, and an IDAT of all-zero rows: about 1 MB on disk. */
    public static void write(Path file, int w, int h) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream ihdr = new DataOutputStream(header);
            ihdr.writeInt(w);
            ihdr.writeInt(h);
            ihdr.write(new byte[] {16, 6, 0, 0, 0});
            chunk(out, "IHDR", header.toByteArray());
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
            byte[] row = new byte[1 + w * 8];
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int y = 0; y < h; y++) {
                deflater.setInput(row);
                while (!deflater.needsInput()) {
                    idat.write(buf, 0, deflater.deflate(buf));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                idat.write(buf, 0, deflater.deflate(buf));
            }
            deflater.end();
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
    }

    /** The PNG with a tEXt chunk after its header: the same pixels in a file with another checksum. */
    public static byte[] withText(byte[] png, String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 64);
        out.write(png, 0, 33); // signature and IHDR
        chunk(new DataOutputStream(out), "tEXt", ("Comment\0" + text).getBytes(StandardCharsets.ISO_8859_1));
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
