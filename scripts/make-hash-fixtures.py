#!/usr/bin/python3
"""Makes the Pillow-decoded test fixtures for dev.exifq.hashing.

Writes small images in many formats and pixel modes to
src/test/resources/dev/exifq/hashing/fixtures/ and expected.csv beside them with the dhash and
phash that imagehash 4.3.2 computes. Run on Debian 12 with its python3-pil (Pillow 9.4.0),
python3-numpy (1.24.2) and python3-scipy (1.10.1), the versions behind the corpus reference:

    apt-get install python3-pil python3-numpy python3-scipy
    /usr/bin/python3 scripts/make-hash-fixtures.py

imagehash itself is not a Debian package; dhash()/phash() below are imagehash 4.3.2's two functions
written out (they reproduce all 147 hashes of shared/corpus/reference/hashes.csv).
"""
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy
import scipy.fftpack
from PIL import Image, TiffImagePlugin

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "dev", "exifq", "hashing", "fixtures")


def _hex(bits):
    return "%016x" % int("".join("1" if b else "0" for b in bits.flatten()), 2)


def dhash(img):
    p = numpy.asarray(img.convert("L").resize((9, 8), Image.LANCZOS))
    return _hex(p[:, 1:] > p[:, :-1])


def phash(img):
    p = numpy.asarray(img.convert("L").resize((32, 32), Image.LANCZOS))
    d = scipy.fftpack.dct(scipy.fftpack.dct(p, axis=0), axis=1)[:8, :8]
    return _hex(d > numpy.median(d))


def scene(w, h, seed=1):
    """An RGB test picture: gradients, a few shapes and mild noise, so every hash bit is decided clearly."""
    rng = numpy.random.default_rng(seed)
    y, x = numpy.mgrid[0:h, 0:w].astype(float)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 128 + 100 * numpy.sin(x / max(w, 1) * 7) * numpy.cos(y / max(h, 1) * 5)
    disc = (x - w * 0.3) ** 2 + (y - h * 0.6) ** 2 < (min(w, h) * 0.2) ** 2
    r[disc], g[disc], b[disc] = 240, 30, 60
    box = (x > w * 0.6) & (x < w * 0.9) & (y > h * 0.1) & (y < h * 0.4)
    r[box], g[box], b[box] = 20, 20, 200
    a = numpy.stack([r, g, b], axis=2) + rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(numpy.clip(a, 0, 255).astype(numpy.uint8), "RGB")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png16(arr, color_type):
    """A 16-bit PNG (Pillow cannot write 16-bit RGB): arr is uint16 HxW (grey) or HxWxC."""
    h, w = arr.shape[:2]
    raw = b"".join(b"\x00" + arr[i].astype(">u2").tobytes() for i in range(h))
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


def gif_offset_frame(transparent):
    """A GIF whose only frame (10x10 at 5,5) is smaller than its 20x20 logical screen."""
    pal = bytes((i * 37) % 256 for i in range(768))
    g = b"GIF89a" + struct.pack("<HHBBB", 20, 20, 0xF7, 3, 0) + pal
    if transparent is not None:
        g += b"\x21\xf9\x04\x01\x00\x00" + bytes([transparent]) + b"\x00"
    g += b"\x2c" + struct.pack("<HHHHB", 5, 5, 10, 10, 0)
    data = [(x * 7 + y * 3) % 256 for y in range(10) for x in range(10)]
    bits = []
    for p in data:  # a clear code before every pixel keeps the LZW code size at 9 bits
        for code in (256, p):
            bits.extend((code >> i) & 1 for i in range(9))
    bits.extend((257 >> i) & 1 for i in range(9))
    bits.extend([0] * (-len(bits) % 8))
    lzw = bytes(sum(bits[i + j] << j for j in range(8)) for i in range(0, len(bits), 8))
    blocks = b"".join(bytes([len(lzw[i:i + 255])]) + lzw[i:i + 255] for i in range(0, len(lzw), 255))
    return g + b"\x08" + blocks + b"\x00\x3b"


def associated_alpha_tiff(rgba):
    """An RGBA TIFF marked ExtraSamples=1 (premultiplied alpha, which Pillow un-premultiplies on reading).

    Pillow cannot write one, so its unassociated-alpha TIFF gets the tag value patched from 2 to 1; colour
    values above alpha then exercise the clipping of the division too."""
    buf = io.BytesIO()
    rgba.save(buf, format="TIFF")
    data = buf.getvalue()
    entry = struct.pack("<HHIHH", 338, 3, 1, 2, 0)
    assert data.count(entry) == 1
    return data.replace(entry, struct.pack("<HHIHH", 338, 3, 1, 1, 0))


def save(img, name, **params):
    buf = io.BytesIO()
    img.save(buf, **params)
    return name, buf.getvalue()


def fixtures():
    base = scene(61, 45)
    big = scene(1003, 701, seed=2)
    rng = numpy.random.default_rng(3)
    yield save(base, "rgb.png", format="PNG")
    rgba = base.copy()
    rgba.putalpha(Image.fromarray(rng.integers(0, 256, (45, 61)).astype(numpy.uint8), "L"))
    yield save(rgba, "rgba.png", format="PNG")
    yield save(base.convert("L"), "gray.png", format="PNG")
    yield save(rgba.convert("LA"), "gray-alpha.png", format="PNG")
    yield save(base.convert("1"), "bilevel.png", format="PNG")
    pal = base.convert("P", palette=Image.ADAPTIVE, colors=200)
    yield save(pal, "palette.png", format="PNG", transparency=5)
    yield save(base.convert("P", palette=Image.ADAPTIVE, colors=16), "palette-4bit.png", format="PNG", bits=4)
    g16 = (numpy.asarray(base.convert("L")).astype(numpy.uint16) * 3)  # 0..765: Pillow clips at 255
    yield "gray16.png", png16(g16, 0)
    rgb16 = numpy.asarray(base).astype(numpy.uint16) * 257 + rng.integers(0, 256, (45, 61, 3)).astype(numpy.uint16)
    yield "rgb16.png", png16(rgb16, 2)
    yield save(pal, "palette.gif", format="GIF")
    yield "offset-frame.gif", gif_offset_frame(None)
    yield "offset-frame-transparent.gif", gif_offset_frame(9)
    yield save(base, "rgb.bmp", format="BMP")
    yield save(pal, "palette.bmp", format="BMP")
    yield save(base.convert("1"), "bilevel.bmp", format="BMP")
    yield save(base, "rgb.tif", format="TIFF")
    yield save(base, "rgb-lzw.tif", format="TIFF", compression="tiff_lzw")
    yield save(rgba, "rgba-deflate.tif", format="TIFF", compression="tiff_adobe_deflate")
    yield "rgba-associated.tif", associated_alpha_tiff(rgba)
    yield save(base.convert("L"), "gray.tif", format="TIFF")
    yield save(Image.fromarray(g16, "I;16"), "gray16.tif", format="TIFF")
    yield save(base.convert("CMYK"), "cmyk.tif", format="TIFF")
    yield save(pal, "palette.tif", format="TIFF")
    yield save(base.convert("1"), "bilevel-g4.tif", format="TIFF", compression="group4")
    for sub, label in ((0, "444"), (1, "422"), (2, "420")):
        yield save(base, "ycc%s.jpg" % label, format="JPEG", quality=90, subsampling=sub)
    yield save(big, "big-420.jpg", format="JPEG", quality=85)
    yield save(big, "big-progressive.jpg", format="JPEG", quality=85, progressive=True)
    yield save(base.convert("L"), "gray.jpg", format="JPEG", quality=90)
    yield save(base.convert("CMYK"), "cmyk.jpg", format="JPEG", quality=90)
    yield from cjpeg_fixtures(base)
    yield save(base, "lossless.webp", format="WEBP", lossless=True)
    yield save(base, "lossy.webp", format="WEBP", quality=80)
    for w, h in ((1, 1), (3, 2), (9, 8), (32, 32), (9, 100), (500, 7), (33, 31)):
        yield save(scene(w, h, seed=w * 1000 + h), "size-%dx%d.png" % (w, h), format="PNG")


def cjpeg_fixtures(img):
    """JPEG variants Pillow cannot write, made with libjpeg-turbo's cjpeg (Debian libjpeg-turbo-progs)."""
    if not shutil.which("cjpeg"):
        print("cjpeg not found (apt-get install libjpeg-turbo-progs): skipping 4:4:0, 4:1:1, arithmetic, RGB JPEGs",
              file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        ppm = os.path.join(tmp, "in.ppm")
        img.save(ppm)
        for name, args in (("ycc440.jpg", ["-sample", "1x2,1x1,1x1"]), ("ycc411.jpg", ["-sample", "4x1,1x1,1x1"]),
                           ("arithmetic.jpg", ["-arithmetic"]), ("rgb-components.jpg", ["-rgb"])):
            data = subprocess.run(["cjpeg", "-quality", "90"] + args + [ppm], check=True, capture_output=True).stdout
            yield name, data


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = ["file,width,height,pil_mode,dhash,phash"]
    for name, data in fixtures():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        img = Image.open(io.BytesIO(data))
        d = dhash(img)
        p = phash(Image.open(io.BytesIO(data)))
        rows.append("%s,%d,%d,%s,%s,%s" % (name, img.size[0], img.size[1], img.mode, d, p))
    with open(os.path.join(OUT, "expected.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
