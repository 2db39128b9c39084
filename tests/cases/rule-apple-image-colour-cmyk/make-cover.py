#!/usr/bin/python3
"""make-cover.py OUT WIDTH HEIGHT COMPONENTS: a flat mid-grey baseline JPEG.

How this case's feed/cover.jpg (1400x1400, 4 components: CMYK with the
Adobe APP14 marker, transform 0) and rule-apple-image-colour's greyscale
cover (1 component) were made: ffmpeg writes only YCbCr JPEGs, and
tests/scripts/lib/mkjpeg.py's gradient makes a 100 KB CMYK file. Every
8x8 block here is value 128, so each block is "DC difference 0, end of
block": with one-symbol Huffman tables that is two bits a block.
Standard library only.
"""
import struct
import sys


def seg(marker, body):
    return b'\xff' + bytes([marker]) + struct.pack('>H', len(body) + 2) + body


def make(path, w, h, comps):
    out = b'\xff\xd8'
    if comps == 4:
        out += seg(0xee, b'Adobe' + struct.pack('>HHHB', 100, 0, 0, 0))
    else:
        out += seg(0xe0, b'JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00')
    out += seg(0xdb, b'\x00' + bytes([1] * 64))
    sof = struct.pack('>BHHB', 8, h, w, comps)
    for i in range(comps):
        sof += bytes([i + 1, 0x11, 0])
    out += seg(0xc0, sof)
    one = bytes([1] + [0] * 15) + b'\x00'   # one symbol, 0x00, code "0"
    out += seg(0xc4, b'\x00' + one) + seg(0xc4, b'\x10' + one)
    sos = bytes([comps])
    for i in range(comps):
        sos += bytes([i + 1, 0x00])
    out += seg(0xda, sos + b'\x00\x3f\x00')
    bits = ((w + 7) // 8) * ((h + 7) // 8) * comps * 2
    data = bytearray(bits // 8)
    if bits % 8:
        data.append((1 << (8 - bits % 8)) - 1)   # pad with 1-bits
    with open(path, 'wb') as f:
        f.write(out + bytes(data) + b'\xff\xd9')


make(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
