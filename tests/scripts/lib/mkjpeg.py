#!/usr/bin/python3
"""mkjpeg.py MODEL SIZE OUT: writes a baseline JPEG of SIZE x SIZE pixels.

MODEL is "grey" (one component), "ycbcr" (three, JFIF) or "cmyk" (four,
with the Adobe APP14 marker, transform 0, as Photoshop writes them).
ffmpeg's MJPEG encoder writes only YCbCr, so test_artwork.sh makes its
greyscale and CMYK covers with this. The picture is a gradient of flat
8x8 blocks, so that each block's DCT is its DC term alone and no DCT is
needed: DC = 8 * (value - 128), quantised by 1. SIZE must be a multiple
of 8. Standard library only.
"""
import struct
import sys

# Annex K.3 luminance DC table; the AC table holds EOB only ("0").
DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALS = list(range(12))
AC_BITS = [1] + [0] * 15
AC_VALS = [0x00]


def codes(bits, vals):
    """The canonical Huffman codes: {symbol: (code, length)}."""
    out, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            out[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return out


def segment(marker, payload):
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def value(model, comp, bx, by, n):
    """A block's sample (0..255): a gradient, different per component."""
    t = (bx * 255) // max(n - 1, 1)
    u = (by * 255) // max(n - 1, 1)
    if model == "grey":
        return (t + u) // 2
    if model == "ycbcr":
        return [(t + u) // 2, 64 + t // 2, 192 - u // 2][comp]
    return [t, u, 255 - t, (t * u) // 255][comp]   # C, M, Y, K


def main():
    model, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ncomp = {"grey": 1, "ycbcr": 3, "cmyk": 4}[model]
    if size <= 0 or size % 8:
        sys.exit("mkjpeg.py: SIZE must be a positive multiple of 8")
    n = size // 8
    dc = codes(DC_BITS, DC_VALS)
    eob_code, eob_len = codes(AC_BITS, AC_VALS)[0]

    head = b"\xff\xd8"
    if model == "cmyk":
        head += segment(0xEE, b"Adobe" + struct.pack(">HHHB", 100, 0, 0, 0))
    else:
        head += segment(0xE0, b"JFIF\x00" + bytes([1, 1, 0, 0, 1, 0, 1, 0, 0]))
    head += segment(0xDB, bytes([0]) + bytes([1] * 64))
    sof = struct.pack(">BHHB", 8, size, size, ncomp)
    for c in range(ncomp):
        sof += bytes([c + 1, 0x11, 0])
    head += segment(0xC0, sof)
    head += segment(0xC4, bytes([0x00] + DC_BITS + DC_VALS))
    head += segment(0xC4, bytes([0x10] + AC_BITS + AC_VALS))
    sos = bytes([ncomp])
    for c in range(ncomp):
        sos += bytes([c + 1, 0x00])
    head += segment(0xDA, sos + bytes([0, 63, 0]))

    data = bytearray()
    acc, nbits = 0, 0
    pred = [0] * ncomp
    for by in range(n):
        for bx in range(n):
            for c in range(ncomp):
                coef = 8 * (value(model, c, bx, by, n) - 128)
                diff, pred[c] = coef - pred[c], coef
                s = abs(diff).bit_length()
                code, length = dc[s]
                extra = diff if diff >= 0 else diff + (1 << s) - 1
                acc = (acc << (length + s + eob_len)) | (code << (s + eob_len)) \
                    | (extra << eob_len) | eob_code
                nbits += length + s + eob_len
                while nbits >= 8:
                    nbits -= 8
                    byte = (acc >> nbits) & 0xFF
                    data.append(byte)
                    if byte == 0xFF:
                        data.append(0)
                acc &= (1 << nbits) - 1
    if nbits:
        byte = ((acc << (8 - nbits)) | ((1 << (8 - nbits)) - 1)) & 0xFF
        data.append(byte)
        if byte == 0xFF:
            data.append(0)
    with open(out, "wb") as f:
        f.write(head + bytes(data) + b"\xff\xd9")


if __name__ == "__main__":
    main()
