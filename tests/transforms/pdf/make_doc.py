#!/usr/bin/env python3
"""Writes a minimal Word 97 binary file (.doc) from text, to test the .doc reader:
an OLE compound file ([MS-CFB], 512-byte sectors) holding a WordDocument stream (a FIB with
nFib 0xC1, fWhichTblStm, ccpText, fcClx/lcbClx, then the text) and a 1Table stream (small
enough to live in the mini stream) holding the Clx with its piece table ([MS-DOC] 2.4.1).

  make_doc.py SRC OUT [--encrypted] [--word95]

Every line of SRC is a paragraph (ends with 0x0D). The pieces: the first half of the text as
UTF-16LE, the rest split so that an all-ASCII paragraph, when there is one, is a compressed
8-bit piece. A PAGE field (instruction dropped, result kept) and a two-cell table row are
appended, and one footnote character past ccpText that must not be read."""
import struct, sys

SS = 512
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def build_text(src):
    paras = [l.rstrip("\n") for l in open(src, encoding="utf-8") if l.strip()]
    paras.append("\x13 PAGE \\* MERGEFORMAT \x14" + "第1页" + "\x15")
    paras.append("地区生产总值\x07增长5.2%\x07\x07")
    return paras


def pieces_for(paras):
    """[(text, compressed)], main text first."""
    out = []
    for p in paras:
        t = p + "\r"
        comp = all(ord(c) < 0x80 for c in t) and "\x13" not in t and "\x07" not in t
        if out and out[-1][1] == comp:
            out[-1] = (out[-1][0] + t, comp)
        else:
            out.append((t, comp))
    return out


def main():
    a = sys.argv[1:]
    src, dst = a[0], a[1]
    paras = build_text(src)
    pieces = pieces_for(paras)
    footnote = "脚注不应出现\r"
    ccp_text = sum(len(t) for t, _ in pieces)
    pieces.append((footnote, False))
    # WordDocument: FIB (1024 bytes) then each piece's bytes
    fib = bytearray(1024)
    flags = 0x0200 | (0x0100 if "--encrypted" in a else 0)
    struct.pack_into("<HHH", fib, 0, 0xA5EC, 0x65 if "--word95" in a else 0xC1, 0)
    struct.pack_into("<H", fib, 0x0A, flags)
    struct.pack_into("<I", fib, 0x4C, ccp_text)
    body = bytearray(fib)
    cps, pcds, cp = [0], [], 0
    for t, comp in pieces:
        off = len(body)
        if comp:
            body += t.encode("cp1252")
            fc = (off * 2) | 0x40000000
        else:
            body += t.encode("utf-16-le")
            fc = off
        cp += len(t)
        cps.append(cp)
        pcds.append(struct.pack("<HIH", 0, fc, 0))
    plc = b"".join(struct.pack("<I", c) for c in cps) + b"".join(pcds)
    clx = b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    table = bytes(16) + clx
    struct.pack_into("<II", body, 0x1A2, 16, len(clx))
    while len(body) < 4096 or len(body) % SS:
        body += b"\0"
    write_cfb(dst, bytes(body), table)


def write_cfb(dst, word, table):
    # sectors: FAT | directory | WordDocument | mini stream (1Table) | mini FAT
    mini = table + bytes((-len(table)) % 64)
    mini_sectors = (len(mini) + SS - 1) // SS
    mini_fat = [ENDOFCHAIN if i == len(mini) // 64 - 1 else i + 1 for i in range(len(mini) // 64)]
    word_sectors = len(word) // SS
    n_dir = 1
    n_minifat = 1
    n_other = n_dir + word_sectors + mini_sectors + n_minifat
    n_fat = 1
    while n_fat * (SS // 4) < n_fat + n_other:
        n_fat += 1
    fat = []
    fat += [FATSECT] * n_fat
    dir_start = len(fat); fat += [ENDOFCHAIN]
    word_start = len(fat)
    fat += [word_start + i + 1 for i in range(word_sectors - 1)] + [ENDOFCHAIN]
    mini_start = len(fat)
    fat += [mini_start + i + 1 for i in range(mini_sectors - 1)] + [ENDOFCHAIN]
    minifat_start = len(fat); fat += [ENDOFCHAIN]
    fat += [FREESECT] * (n_fat * (SS // 4) - len(fat))

    def entry(name, typ, start, size, left=NOSTREAM, right=NOSTREAM, child=NOSTREAM):
        n = name.encode("utf-16-le") + b"\0\0"
        e = bytearray(128)
        e[0:len(n)] = n
        struct.pack_into("<HBB", e, 0x40, len(n), typ, 1)
        struct.pack_into("<III", e, 0x44, left, right, child)
        struct.pack_into("<IQ", e, 0x74, start, size)
        return bytes(e)
    # tree: root -> WordDocument, whose left sibling is 1Table (shorter names sort first)
    d = entry("Root Entry", 5, mini_start, len(table), child=1)
    d += entry("WordDocument", 2, word_start, len(word), left=2)
    d += entry("1Table", 2, 0, len(table))
    d += entry("", 0, 0, 0)
    hdr = bytearray(512)
    hdr[0:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    struct.pack_into("<HHHHH", hdr, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", hdr, 0x2C, n_fat)
    struct.pack_into("<I", hdr, 0x30, dir_start)
    struct.pack_into("<I", hdr, 0x38, 4096)
    struct.pack_into("<II", hdr, 0x3C, minifat_start, 1)
    struct.pack_into("<II", hdr, 0x44, ENDOFCHAIN, 0)
    for i in range(109):
        struct.pack_into("<I", hdr, 0x4C + 4 * i, i if i < n_fat else FREESECT)
    out = bytearray(hdr)
    out += b"".join(struct.pack("<I", x) for x in fat)
    out += d
    out += word
    out += mini + bytes(mini_sectors * SS - len(mini))
    mf = b"".join(struct.pack("<I", x) for x in mini_fat)
    out += mf + b"\xff" * (SS - len(mf))
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
