package dev.exifq.hashing;

import java.io.IOException;

import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;

import org.w3c.dom.Node;

/**
 * Where Pillow 9.4 puts the first GIF frame: the image is the logical screen, grown to hold the frame if
 * the frame sticks out; pixels outside the frame are the frame's transparency index, or index 0 without one
 * (checked against Pillow 9.4 with GIFs whose first frame is smaller than the screen).
 */
final class GifCanvas {
    final int width;
    final int height;
    final int left;
    final int top;
    final int fillIndex;

    private GifCanvas(int width, int height, int left, int top, int fillIndex) {
        this.width = width;
        this.height = height;
        this.left = left;
        this.top = top;
        this.fillIndex = fillIndex;
    }

    static GifCanvas of(ImageReader reader, int frameWidth, int frameHeight) throws IOException {
        int screenW = 0;
        int screenH = 0;
        IIOMetadata stream = reader.getStreamMetadata();
        if (stream != null) {
            IIOMetadataNode lsd = find(stream.getAsTree("javax_imageio_gif_stream_1.0"), "LogicalScreenDescriptor");
            if (lsd != null) {
                screenW = intAttr(lsd, "logicalScreenWidth", 0);
                screenH = intAttr(lsd, "logicalScreenHeight", 0);
            }
        }
        int left = 0;
        int top = 0;
        int fill = 0;
        IIOMetadata image = reader.getImageMetadata(0);
        if (image != null) {
            Node root = image.getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode desc = find(root, "ImageDescriptor");
            if (desc != null) {
                left = intAttr(desc, "imageLeftPosition", 0);
                top = intAttr(desc, "imageTopPosition", 0);
            }
            IIOMetadataNode gce = find(root, "GraphicControlExtension");
            if (gce != null && "TRUE".equalsIgnoreCase(gce.getAttribute("transparentColorFlag"))) {
                fill = intAttr(gce, "transparentColorIndex", 0);
            }
        }
        int width = Math.max(screenW, left + frameWidth);
        int height = Math.max(screenH, top + frameHeight);
        return new GifCanvas(width, height, left, top, fill);
    }

    private static int intAttr(IIOMetadataNode node, String name, int dflt) {
        String v = node.getAttribute(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static IIOMetadataNode find(Node node, String name) {
        if (node instanceof IIOMetadataNode n && name.equals(n.getNodeName())) {
            return n;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            IIOMetadataNode found = find(c, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
