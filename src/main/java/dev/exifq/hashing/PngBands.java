package dev.exifq.hashing;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.util.Iterator;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads a big PNG's bands in one pass. The JDK's reader decodes a region by inflating and unfiltering the image's
 * rows from the top each time, so a band cost a decode of the image (nine bands about nine decodes); here the
 * inflater and the previous row are kept from one band to the next (the previous row starts as zeros, as the
 * format says). Only non-interlaced 8- and 16-bit grey, grey
 * with alpha, RGB and RGBA without tRNS, and 8-bit palette images (the JDK turns tRNS of the others into alpha;
 * interlaced and packed ones are rare among big files) get an instance; the rest stay with the JDK's reader. Anything
 * unexpected on the way (a truncated or damaged stream, an unknown filter, bands out of order) throws
 * {@link OwnBands.Refused}: the file is then hashed by the JDK's reader from the start, so damaged files get exactly
 * the answer they got before.
 */
final class PngBands implements OwnBands {
    private static final int IDAT = 0x49444154;
    private static final String NATIVE_METADATA = "javax_imageio_png_1.0";

    // how often a band's decoding looks at the deadline
    private static final int ROWS_PER_CHECK = 64;

    private final ImageInputStream in;
    private final HashingDeadline deadline;
    private final ImageTypeSpecifier type;
    private final int width;
    private final int channels;
    private final boolean sixteen;
    private final int filterStride;
    private final Inflater inflater = new Inflater();
    private final byte[] input = new byte[1 << 16];
    private final byte[] filterByte = new byte[1];
    private byte[] row;
    private byte[] previous;
    private long dataLeft; // bytes of the current IDAT chunk not yet given to the inflater
    private int nextRow;

    private PngBands(ImageInputStream in, HashingDeadline deadline, ImageTypeSpecifier type, int width, int channels,
            boolean sixteen, long firstDataLength) {
        this.in = in;
        this.deadline = deadline;
        this.type = type;
        this.width = width;
        this.channels = channels;
        this.sixteen = sixteen;
        int rowBytes = width * channels * (sixteen ? 2 : 1);
        this.filterStride = channels * (sixteen ? 2 : 1);
        this.row = new byte[rowBytes];
        this.previous = new byte[rowBytes];
        this.dataLeft = firstDataLength;
    }

    /** For a PNG the JDK's reader has open, or null when its layout is not one we decode. */
    static PngBands of(ImageReader reader, int width, int height, HashingDeadline deadline) {
        try {
            if (!(reader.getInput() instanceof ImageInputStream in)
                    || !reader.getClass().getName().startsWith("com.sun.imageio.plugins.png.")) {
                return null;
            }
            // the JDK's reader has flushed the stream up to its first IDAT chunk, where it leaves it once it has
            // read its metadata (and where it starts its own decoding again)
            IIOMetadata metadata = reader.getImageMetadata(0);
            ImageTypeSpecifier type = firstType(reader);
            Node root = metadata.getAsTree(NATIVE_METADATA);
            NamedNodeMap ihdr = child(root, "IHDR").getAttributes();
            int bitDepth = Integer.parseInt(ihdr.getNamedItem("bitDepth").getNodeValue());
            String colourType = ihdr.getNamedItem("colorType").getNodeValue();
            int channels = switch (colourType) {
                case "Grayscale", "Palette" -> 1;
                case "RGB" -> 3;
                case "GrayAlpha" -> 2;
                case "RGBAlpha" -> 4;
                default -> -1;
            };
            boolean palette = colourType.equals("Palette");
            if (channels < 0 || !ihdr.getNamedItem("interlaceMethod").getNodeValue().equals("none")
                    || (bitDepth != 8 && !(bitDepth == 16 && !palette))
                    || (child(root, "tRNS") != null && !palette)
                    || type == null || !sameLayout(type, width, channels, bitDepth == 16)) {
                return null;
            }
            long length = in.readUnsignedInt();
            if (in.readInt() != IDAT) {
                return null;
            }
            return new PngBands(in, deadline, type, width, channels, bitDepth == 16, length);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n;
            }
        }
        return null;
    }

    @Override
    public BufferedImage read(int y0, int rows) throws Refused, HashingTimeoutException {
        if (y0 != nextRow) {
            throw new Refused("bands out of order");
        }
        BufferedImage image = type.createBufferedImage(width, rows);
        ComponentSampleModel model = (ComponentSampleModel) image.getSampleModel();
        DataBuffer buffer = image.getRaster().getDataBuffer();
        int[] offsets = model.getBandOffsets();
        int stride = model.getScanlineStride();
        if (stride != width * channels || buffer.getOffset() != 0 || buffer.getSize() != stride * rows) {
            throw new Refused("unexpected raster layout");
        }
        for (int y = 0; y < rows; y++) {
            if (y % ROWS_PER_CHECK == 0) {
                deadline.check();
            }
            nextRow();
            int base = y * stride;
            if (sixteen) {
                short[] data = ((DataBufferUShort) buffer).getData();
                for (int x = 0, s = 0; x < width; x++) {
                    int pixel = base + x * channels;
                    for (int b = 0; b < channels; b++, s += 2) {
                        data[pixel + offsets[b]] = (short) (((row[s] & 0xff) << 8) | (row[s + 1] & 0xff));
                    }
                }
            } else {
                byte[] data = ((DataBufferByte) buffer).getData();
                if (channels == 1) {
                    System.arraycopy(row, 0, data, base + offsets[0], width);
                } else {
                    for (int x = 0, s = 0; x < width; x++) {
                        int pixel = base + x * channels;
                        for (int b = 0; b < channels; b++, s++) {
                            data[pixel + offsets[b]] = row[s];
                        }
                    }
                }
            }
        }
        return image;
    }

    @Override
    public void close() {
        inflater.end();
    }

    /** Inflates and unfilters the next row into {@code row} (the one before it then in {@code previous}). */
    private void nextRow() throws Refused {
        byte[] swap = previous;
        previous = row;
        row = swap;
        inflate(filterByte);
        int filter = filterByte[0] & 0xff;
        inflate(row);
        int n = row.length;
        int d = filterStride;
        switch (filter) {
            case 0 -> { }
            case 1 -> {
                for (int i = d; i < n; i++) row[i] += row[i - d];
            }
            case 2 -> {
                for (int i = 0; i < n; i++) row[i] += previous[i];
            }
            case 3 -> {
                for (int i = 0; i < d; i++) row[i] += (byte) ((previous[i] & 0xff) >>> 1);
                for (int i = d; i < n; i++) row[i] += (byte) (((row[i - d] & 0xff) + (previous[i] & 0xff)) >>> 1);
            }
            case 4 -> {
                for (int i = 0; i < d; i++) row[i] += previous[i];
                for (int i = d; i < n; i++) row[i] += paeth(row[i - d] & 0xff, previous[i] & 0xff, previous[i - d] & 0xff);
            }
            default -> throw new Refused("unknown row filter " + filter);
        }
        nextRow++;
    }

    private static byte paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }

    /** Fills {@code into} from as many IDAT chunks as it takes. */
    private void inflate(byte[] into) throws Refused {
        int want = into.length;
        int got = 0;
        try {
            while (got < want) {
                int n = inflater.inflate(into, got, want - got);
                got += n;
                if (n == 0) {
                    if (inflater.finished() || inflater.needsDictionary()) {
                        throw new Refused("the image data ends early");
                    }
                    if (inflater.needsInput()) {
                        feed();
                    }
                }
            }
        } catch (DataFormatException e) {
            throw new Refused("image data: " + e.getMessage());
        }
    }

    private void feed() throws Refused {
        try {
            while (dataLeft == 0) {
                in.skipBytes(4); // the CRC of the IDAT before (the JDK's reader does not check it either)
                dataLeft = in.readUnsignedInt();
                if (in.readInt() != IDAT) {
                    throw new Refused("the image data ends early");
                }
            }
            int n = in.read(input, 0, (int) Math.min(input.length, dataLeft));
            if (n <= 0) {
                throw new Refused("the file ends inside its image data");
            }
            dataLeft -= n;
            inflater.setInput(input, 0, n);
        } catch (IOException e) {
            throw new Refused("image data: " + e.getMessage());
        }
    }

    private static ImageTypeSpecifier firstType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        return types.hasNext() ? types.next() : null;
    }

    /** Interleaved samples, one array element per sample, rows back to back: what {@link #read} fills. */
    private static boolean sameLayout(ImageTypeSpecifier type, int width, int channels, boolean sixteen) {
        if (!(type.getSampleModel(width, 1) instanceof ComponentSampleModel model)
                || model.getDataType() != (sixteen ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE)
                || model.getNumBands() != channels || model.getPixelStride() != channels
                || model.getScanlineStride() != width * channels) {
            return false;
        }
        for (int bank : model.getBankIndices()) {
            if (bank != 0) {
                return false;
            }
        }
        return true;
    }
}
