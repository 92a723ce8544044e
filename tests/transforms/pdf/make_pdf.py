#!/usr/bin/python3
"""Makes the PDF fixtures of the PDF tests from text, with Debian's python3-reportlab and
python3-pil and the WenQuanYi Zen Hei font (fonts-wqy-zenhei). Nothing is downloaded.

  make_pdf.py text SRC OUT [--font ttf|cid] [--columns N] [--page-numbers dash|cn|none]
                           [--header TEXT] [--title TEXT] [--date YYYYMMDDHHMMSS+HH'MM']
      every line of SRC is one paragraph, wrapped at the column width with a first-line
      indent of two characters (headings 一、/（一） too); running header at the top and the
      page number at the bottom of every page. --font ttf embeds Zen Hei (with a ToUnicode
      map); --font cid uses the standard Adobe-GB1 font STSong-Light, not embedded and with
      no ToUnicode map (the reader needs the UniGB-UCS2-H CMap).
  make_pdf.py scan SRC OUT [--pages N] [--dpi D]
      an image-only PDF: the text drawn into grey-scale page images (no text layer).
  make_pdf.py bad KIND OUT
      malformed | truncated | encrypted | oversized | bomb | pages (many pages).
"""
import argparse, io, sys, zlib

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def register(kind):
    from reportlab.pdfbase import pdfmetrics
    if kind == "cid":
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("ZenHei", FONT_PATH, subfontIndex=0))
    return "ZenHei"


def wrap(text, font, size, width, indent):
    """Greedy wrap by characters (CJK wraps anywhere); ASCII words are kept whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    lines, cur, cur_w = [], "", indent
    tokens, i = [], 0
    while i < len(text):  # ASCII runs as one token
        j = i
        while j < len(text) and text[j].isascii() and not text[j].isspace():
            j += 1
        if j > i:
            tokens.append(text[i:j]); i = j
        else:
            tokens.append(text[i]); i += 1
    for t in tokens:
        w = stringWidth(t, font, size)
        if cur and cur_w + w > width:
            lines.append(cur); cur, cur_w = "", 0
            if t == " ":
                continue
        cur += t; cur_w += w
    if cur:
        lines.append(cur)
    return lines


def make_text(a):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    font = register(a.font)
    size, leading = 12, 20
    W, H = A4
    margin, gap = 72, 24
    cols = a.columns
    colw = (W - 2 * margin - gap * (cols - 1)) / cols
    paras = [l.strip() for l in open(a.src, encoding="utf-8") if l.strip()]
    lines = []
    for p in paras:
        ind = 2 * size
        for k, l in enumerate(wrap(p, font, size, colw, ind)):
            lines.append((ind if k == 0 else 0, l))
    per_col = int((H - 2 * margin) // leading)
    per_page = per_col * cols
    npages = max(1, (len(lines) + per_page - 1) // per_page)
    c = canvas.Canvas(a.out, pagesize=A4, invariant=1)
    if a.title:
        c.setTitle(a.title)
    c.setAuthor("reportd tests")
    for pg in range(npages):
        chunk = lines[pg * per_page:(pg + 1) * per_page]
        c.setFont(font, size)
        for i, (ind, l) in enumerate(chunk):
            col, row = divmod(i, per_col)
            x = margin + col * (colw + gap) + ind
            y = H - margin - size - row * leading
            c.drawString(x, y, l)
        c.setFont(font, 9)
        if a.header:
            c.drawCentredString(W / 2, H - 40, a.header)
        if a.page_numbers == "dash":
            c.drawCentredString(W / 2, 36, f"- {pg + 1} -")
        elif a.page_numbers == "cn":
            c.drawCentredString(W / 2, 36, f"第{pg + 1}页 共{npages}页")
        c.showPage()
    c.save()
    if a.date:  # invariant mode writes a fixed date: put ours in its place, same length
        data = open(a.out, "rb").read()
        fixed = b"D:20000101000000+00'00'"
        new = ("D:" + a.date).encode()
        assert len(new) == len(fixed), "--date must be YYYYMMDDHHMMSS+HH'MM'"
        open(a.out, "wb").write(data.replace(fixed, new))


def make_scan(a):
    from PIL import Image, ImageDraw, ImageFont
    text = "".join(l.strip() + "\n" for l in open(a.src, encoding="utf-8") if l.strip())
    dpi = a.dpi
    W, H = int(8.27 * dpi), int(11.69 * dpi)
    size = int(dpi * 14 / 72)  # 14 pt
    font = ImageFont.truetype(FONT_PATH, size, index=0)
    margin = int(dpi * 0.9)
    per_line = (W - 2 * margin) // size
    lines = []
    for p in text.split("\n"):
        p = "　　" + p if p else p
        while p:
            lines.append(p[:per_line]); p = p[per_line:]
    leading = int(size * 1.6)
    per_page = (H - 2 * margin) // leading
    pages = []
    for pg in range(a.pages):
        chunk = lines[pg * per_page:(pg + 1) * per_page]
        if not chunk:
            break
        img = Image.new("L", (W, H), 255)
        d = ImageDraw.Draw(img)
        for i, l in enumerate(chunk):
            d.text((margin, margin + i * leading), l, font=font, fill=0)
        pages.append(img)
    pages[0].save(a.out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    # the text the scan holds, for the agreement measure
    with open(a.out + ".txt", "w", encoding="utf-8") as f:
        f.write("".join(l.strip("　") for l in lines[:per_page * len(pages)]))


def pdf_bytes(objs, trailer_extra=b""):
    """A PDF file from object bodies (1-based numbering), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    x = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objs) + 1, trailer_extra, x))
    return out.getvalue()


def make_bad(a):
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4
    if a.kind == "malformed":
        data = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ngarbage \x00\xff" * 20
    elif a.kind == "truncated":
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4, invariant=1)
        c.drawString(72, 700, "2024 GDP 100 yi yuan")
        c.showPage(); c.save()
        data = buf.getvalue()[: len(buf.getvalue()) // 2]
    elif a.kind == "encrypted":
        from reportlab.lib import pdfencrypt
        enc = pdfencrypt.StandardEncryption("user-secret", "owner-secret", canPrint=0)
        buf = io.BytesIO()
        font = register("ttf")
        c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=enc)
        c.setFont(font, 12)
        c.drawString(72, 700, "地区生产总值增长5.2%")
        c.showPage(); c.save()
        data = buf.getvalue()
    elif a.kind == "bomb":
        # one page whose content stream inflates from ~100 KiB to 100 MiB of drawing operators
        raw = b"0 0 m 1 1 l S\n" * (100 * 1024 * 1024 // 14)
        comp = zlib.compress(raw, 9)
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream"]
        data = pdf_bytes(objs)
    elif a.kind == "pages":
        # a page tree of 100000 pages sharing one empty content stream
        n = 100000
        kids = b" ".join(b"%d 0 R" % (i + 4) for i in range(n))
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
                b"<< /Length 0 >>\nstream\n\nendstream"]
        objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
        data = pdf_bytes(objs)
    elif a.kind == "oversized":
        # one page of 14400 x 14400 points (200 inches square): rendering it for OCR at
        # 300 dpi would take 60000 x 60000 pixels
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
                b"<< /Length 0 >>\nstream\n\nendstream"]
        data = pdf_bytes(objs)
    else:
        sys.exit("unknown kind " + a.kind)
    open(a.out, "wb").write(data)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("text")
    t.add_argument("src"); t.add_argument("out")
    t.add_argument("--font", default="ttf", choices=["ttf", "cid"])
    t.add_argument("--columns", type=int, default=1)
    t.add_argument("--page-numbers", default="dash", choices=["dash", "cn", "none"])
    t.add_argument("--header", default="")
    t.add_argument("--title", default="")
    t.add_argument("--date", default="")
    s = sub.add_parser("scan")
    s.add_argument("src"); s.add_argument("out")
    s.add_argument("--pages", type=int, default=3)
    s.add_argument("--dpi", type=int, default=200)
    b = sub.add_parser("bad")
    b.add_argument("kind"); b.add_argument("out")
    a = ap.parse_args()
    {"text": make_text, "scan": make_scan, "bad": make_bad}[a.cmd](a)


if __name__ == "__main__":
    main()
