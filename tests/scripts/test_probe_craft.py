#!/usr/bin/python3
"""
test_probe_craft.py COMMAND IN OUT: makes the file structures that
test_probe_fast.sh needs and no encoder writes on request, from a file
an encoder made (not a test itself; standard library only).

  junk IN OUT          an MP3 with junk between its frames: 1000 bytes of
                       text after frame 100, 517 zero bytes after frame
                       300, a lone sync word after frame 400
  id3v24-footer IN OUT an ID3v2.4 tag with a footer before the MP3
  id3v23-unsync IN OUT an ID3v2.3 tag with the unsynchronisation flag and
                       unsynchronised data before the MP3 (or ADTS)
  end-tags IN OUT      an APEv2 tag (header and footer), a Lyrics3 v2 tag
                       and an ID3v1 tag after the audio
  wav-streamed IN OUT SIZE
                       a WAV whose RIFF and data sizes say SIZE (0 or
                       4294967295), as streaming encoders leave them
  mp4-table IN OUT BOX:N=VALUE
                       an MP4 whose sample table BOX (stts, stsc, stsz,
                       stco) has its 32-bit field N after the version and
                       flags set to VALUE: 0 is the entry count (stsz:
                       the common sample size), 1 and on the entries
"""
import struct
import sys

MP3_KBPS = {
    3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
MP3_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000],
             0: [11025, 12000, 8000]}


def mp3_frames(data):
    """The (offset, length) of each frame, from the first sync word on."""
    pos = data.find(b"\xff")
    out = []
    while pos + 4 <= len(data):
        b1, b2 = data[pos + 1], data[pos + 2]
        if data[pos] != 0xff or (b1 & 0xe0) != 0xe0:
            if not out:
                pos = data.find(b"\xff", pos + 1)
                if pos < 0:
                    break
                continue
            break
        ver = (b1 >> 3) & 3
        rate = MP3_RATES[ver][(b2 >> 2) & 3]
        kbps = MP3_KBPS[3 if ver == 3 else 2][b2 >> 4]
        size = (144 if ver == 3 else 72) * 1000 * kbps // rate + ((b2 >> 1) & 1)
        out.append((pos, size))
        pos += size
    return out


def syncsafe(n):
    return bytes([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f,
                  n & 0x7f])


def junk(data):
    frames = mp3_frames(data)
    if len(frames) < 450:
        sys.exit("junk: the MP3 has only %d frames" % len(frames))
    inserts = {100: b"Dit is geen audio. " * 52 + b"....",
               300: bytes(517), 400: b"\xff\xfb"}
    out = bytearray(data[:frames[0][0]])
    for i, (off, size) in enumerate(frames):
        out += data[off:off + size]
        out += inserts.get(i, b"")
    end = frames[-1][0] + frames[-1][1]
    out += data[end:]
    return bytes(out)


def text_frame(fid, text, size_fn):
    body = b"\x03" + text.encode()
    return fid + size_fn(len(body)) + b"\x00\x00" + body


def id3v24_footer(data):
    frames = text_frame(b"TIT2", "Voorbij het rode licht", syncsafe) + \
        text_frame(b"TPE1", "Omroep Brabant", syncsafe)
    head = b"ID3\x04\x00\x10" + syncsafe(len(frames))
    foot = b"3DI\x04\x00\x10" + syncsafe(len(frames))
    return head + frames + foot + data


def id3v23_unsync(data):
    # A private frame whose data holds what looks like MPEG sync words:
    # unsynchronisation puts a zero byte after each 0xff.
    payload = b"podpub\x00" + b"\xff\xfb\x90\x64\xff\xe0" * 40
    frame = b"PRIV" + struct.pack(">I", len(payload)) + b"\x00\x00" + payload
    frame = text_frame(b"TIT2", "Aflevering", lambda n: struct.pack(">I", n)) \
        + frame
    unsync = frame.replace(b"\xff", b"\xff\x00")
    return b"ID3\x03\x00\x80" + syncsafe(len(unsync)) + unsync + data


def end_tags(data):
    items = b""
    for key, val in ((b"Title", b"Aflevering 1"), (b"Artist", b"Omroep")):
        items += struct.pack("<II", len(val), 0) + key + b"\x00" + val
    size = len(items) + 32

    def ape(flags):
        return b"APETAGEX" + struct.pack("<IIII", 2000, size, 2, flags) + \
            bytes(8)
    apetag = ape(0xa0000000) + items + ape(0x80000000)
    lyrics = b"LYRICSBEGIN" + b"IND00002" + b"10"
    lyrics += b"%06d" % len(lyrics) + b"LYRICS200"
    id3v1 = b"TAG" + b"Aflevering 1".ljust(30, b"\x00") + \
        b"Omroep".ljust(30, b"\x00") + bytes(30) + b"2025" + bytes(30) + \
        b"\x0c"
    return data + apetag + lyrics + id3v1


def wav_streamed(data, size):
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        sys.exit("wav-streamed: not a WAV file")
    out = bytearray(data)
    out[4:8] = struct.pack("<I", size)
    pos = 12
    while pos + 8 <= len(out):
        cid = bytes(out[pos:pos + 4])
        csize = struct.unpack("<I", out[pos + 4:pos + 8])[0]
        if cid == b"data":
            out[pos + 4:pos + 8] = struct.pack("<I", size)
            return bytes(out)
        pos += 8 + csize + (csize & 1)
    sys.exit("wav-streamed: no data chunk")


def mp4_table(data, spec):
    box, rest = spec.split(":")
    field, value = (int(x) for x in rest.split("="))
    moov = data.find(b"moov")
    pos = data.find(box.encode(), moov if moov >= 4 else 0)
    if moov < 4 or pos < 4:
        sys.exit("mp4-table: no moov or no %s box" % box)
    size = struct.unpack(">I", data[pos - 4:pos])[0]
    at = pos + 8 + 4 * field
    if at + 4 > pos - 4 + size:
        sys.exit("mp4-table: %s has no field %d" % (box, field))
    out = bytearray(data)
    out[at:at + 4] = struct.pack(">I", value)
    return bytes(out)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cmd, src, dst = sys.argv[1:4]
    with open(src, "rb") as fh:
        data = fh.read()
    if cmd == "junk":
        out = junk(data)
    elif cmd == "id3v24-footer":
        out = id3v24_footer(data)
    elif cmd == "id3v23-unsync":
        out = id3v23_unsync(data)
    elif cmd == "end-tags":
        out = end_tags(data)
    elif cmd == "wav-streamed":
        out = wav_streamed(data, int(sys.argv[4]))
    elif cmd == "mp4-table":
        out = mp4_table(data, sys.argv[4])
    else:
        sys.exit("unknown command " + cmd)
    with open(dst, "wb") as fh:
        fh.write(out)


if __name__ == "__main__":
    main()
