#!/usr/bin/env python3
"""Bad input for the decoding stage (see test_bad_input.sh). Generated files go to a
temporary directory under $TMPDIR and are removed at the end."""
import io, json, os, resource, shutil, struct, subprocess, sys, tempfile, zipfile

SRC = os.environ.get("REPORTD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.environ.get("REPORTD_BIN", os.path.join(SRC, "build", "reportd"))
PORTAL = os.path.join(SRC, "tests", "fixtures", "portal")
SEED0 = os.path.join(SRC, "tests", "fixtures", "seeds", "000_aa89ab494b992dd0.txt")
passed = failed = 0
tmp = tempfile.mkdtemp(prefix="reportd-decode-")


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def run(*args, timeout=120):
    p = subprocess.run([BIN, "extract", "--with-text", *args], capture_output=True, timeout=timeout)
    out = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
    return p.returncode, out


def expect_error(path, words, *extra):
    rc, out = run(*extra, path)
    check(rc == 1 and len(out) == 1, f"{os.path.basename(path)}: rc={rc} lines={len(out)}")
    err = out[0].get("error", "") if out else ""
    check(any(w in err for w in words), f"{os.path.basename(path)}: error {err!r}, wanted one of {words}")
    return err


def best_effort(path, *extra):
    rc, out = run(*extra, path)
    check(rc == 0 and len(out) == 1 and "error" not in out[0], f"{os.path.basename(path)}: rc={rc} {out[:1]}")
    return out[0] if out else {"text": "", "replaced_chars": -1}


try:
    page = open(os.path.join(PORTAL, "000-nanyue.utf8.html"), "rb").read()
    gbk_page = open(os.path.join(PORTAL, "002-zhijiang.gbk.html"), "rb").read()

    # empty files, and whitespace only
    expect_error(write("empty.html", b""), ["empty input"])
    expect_error(write("empty.txt", b""), ["empty input"])
    expect_error(write("blank.txt", b" \n\r\n\t "), ["no text"])

    # binary: random bytes, an image, a PDF, a legacy .doc
    expect_error(write("random.bin", os.urandom(65536)), ["binary", "undecodable"])
    expect_error(write("image.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)), ["PNG"])
    expect_error(write("report.pdf", b"%PDF-1.7\n" + os.urandom(2000)), ["PDF"])
    expect_error(write("report.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(2000)), [".doc"])
    # bytes invalid in UTF-8 and in GB18030 alike: rejected with the share, never garbled
    err = expect_error(write("undecodable.txt", b"\x80\xff " * 3000), ["undecodable"])
    check("GB18030" in err, f"undecodable names the charset: {err!r}")

    # the command goes on after a failure and exits 1
    rc, out = run(os.path.join(tmp, "random.bin"), os.path.join(PORTAL, "000-nanyue.utf8.html"))
    check(rc == 1 and len(out) == 2 and "error" in out[0] and out[1].get("title"), "continues after an error")

    # truncated HTML: best effort, the text up to the cut
    d = best_effort(write("truncated.html", page[: len(page) * 2 // 3]))
    check(d["text"].startswith("一、关于2024年工作"), "truncated: body start kept")
    check(d["title"] == "南岳区教育局2024年工作总结及2025年工作计划", f"truncated: title {d['title']!r}")
    # cut inside a multi-byte character: one replacement, counted
    cut = page.index("党的全面领导".encode()) + 4
    d = best_effort(write("cut-char.html", page[:cut]))
    check(d["replaced_chars"] == 1 and "\ufffd" in d["text"], f"cut char: replaced {d['replaced_chars']}")

    # nested tables 1,000 deep (and 100,000 deep divs): text kept, bounded stack
    deep = "<html><body>" + "<table><tr><td>" * 1000 + "深层表格中的正文内容" + "</td></tr></table>" * 1000 + "</body></html>"
    d = best_effort(write("deep-tables.html", deep.encode()))
    check("深层表格中的正文内容" in d["text"], "deep tables: text kept")
    deep = "<html><body>" + "<div>" * 100000 + "极深的正文" + "</div>" * 100000 + "</body></html>"
    d = best_effort(write("deep-divs.html", deep.encode()))
    check("极深的正文" in d["text"], "deep divs: text kept")

    # mixed encodings: a UTF-8 page with one paragraph pasted in GBK
    mixed = page.replace("<p style=\"text-indent:2em\">".encode(),
                         "<p>".encode() + "这一段是GBK编码".encode("gbk") + b"</p><p style=\"text-indent:2em\">", 1)
    d = best_effort(write("mixed.html", mixed))
    check(d["charset"] == "UTF-8" and d["replaced_chars"] > 0, f"mixed: charset {d['charset']} replaced {d['replaced_chars']}")
    check("党的全面领导不断健全" in d["text"], "mixed: UTF-8 text intact")
    # a GBK page whose <meta> claims UTF-8: the bytes win
    mislabelled = gbk_page.replace(b'charset="gbk"', b'charset="utf-8"')
    d = best_effort(write("mislabelled.html", mislabelled))
    check(d["charset"] == "GB18030" and "芷江三中" in d["text"] and d["replaced_chars"] == 0 and
          d["title"] == "芷江侗族自治县教育局2023年上半年工作总结",
          f"mislabelled: {d['charset']} replaced {d['replaced_chars']}")

    # GB18030 plain text with CRLF: decoded, offsets of the decoded text, CR kept
    seed = open(SEED0, encoding="utf-8").read()
    d = best_effort(write("seed-gb.txt", seed.replace("\n", "\r\n").encode("gb18030")))
    check(d["charset"] == "GB18030" and d["text"] == seed.replace("\n", "\r\n"), "GB18030 text with CRLF")
    # full-width digits and letters fold one for one (offsets unchanged)
    d = best_effort(write("fullwidth.txt", "２０２４年投入１２００万元，ＡＢＣ级。\n".encode()))
    check(d["text"] == "2024年投入1200万元，ABC级。\n" and d["text_chars"] == 20, f"fullwidth: {d['text']!r}")

    # .docx that is not a zip, a truncated zip, a zip without word/document.xml
    expect_error(write("fake.docx", b"this is not a word document\n" * 10), ["not a zip"])
    docx = open(os.path.join(PORTAL, "004-guzhang.docx"), "rb").read()
    expect_error(write("truncated.docx", docx[: len(docx) // 2]), ["malformed"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<x/>")
    expect_error(write("other.docx", buf.getvalue()), ["word/document.xml"])

    # zip bombs: too big once inflated, and too high a ratio
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document>" + b" " * (100 << 20) + b"</w:document>")
    bomb = write("bomb.docx", buf.getvalue())
    check(os.path.getsize(bomb) < 1 << 20, "bomb is small on disk")
    expect_error(bomb, ["zip bomb"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document>" + b"A" * (8 << 20) + b"</w:document>")
    expect_error(write("ratio.docx", buf.getvalue()), ["zip bomb"])
    # a bomb that lies about its size in both headers: caught while inflating
    liar = bytearray(open(bomb, "rb").read())
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = liar.find(sig)
        check(struct.unpack_from("<I", liar, at + off)[0] == (100 << 20) + 25, "liar: size field found")
        struct.pack_into("<I", liar, at + off, 1000)
    err = expect_error(write("liar.docx", bytes(liar)), ["zip bomb"])
    check("inflates beyond" in err, f"liar: caught while inflating: {err!r}")

    # a 200 MB file: refused by --max-bytes without reading it all
    big = os.path.join(tmp, "big.txt")
    with open(big, "wb") as f:
        f.truncate(200 << 20)
    err = expect_error(big, ["larger than"])
    check("--max-bytes" in err, f"big: error says how to raise the limit: {err!r}")
    # many inputs, some bad, in one run (output is written in blocks of several
    # documents): one whole line per input, in the order given, and exit status 1
    paths = []
    for k in range(40):
        paths.append(write(f"many-{k}.html", page) if k % 7 else os.path.join(tmp, f"missing-{k}.html"))
    p = subprocess.run([BIN, "extract", "--with-text", *paths], capture_output=True, timeout=300)
    lines = p.stdout.decode("utf-8").splitlines()
    check(p.returncode == 1 and len(lines) == len(paths), f"many: rc={p.returncode} lines={len(lines)}")
    check(len(p.stdout) > 3 * (256 << 10), f"many: {len(p.stdout)} bytes, more than one output block")
    docs = [json.loads(l) for l in lines]
    check([d.get("source") for d in docs] == paths, "many: one line per input, in order")
    check(all(("error" in d) == (k % 7 == 0) for k, d in enumerate(docs)), "many: errors where inputs are missing")
    # a large but allowed input: decodes with memory in proportion to the input
    chunk = seed.encode()
    reps = (24 << 20) // len(chunk)
    large = write("large.txt", chunk * reps)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    d = best_effort(large, "--max-bytes", str(64 << 20))
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size_kb = os.path.getsize(large) // 1024
    check(d["text_chars"] == len(seed) * reps, f"large: text_chars {d['text_chars']}")
    # 1 copy read + 1 decoded + JSON output: allow 12x plus a fixed 600 MB for sanitizer builds
    check(rss_kb < 12 * size_kb + 600 * 1024, f"large: max RSS {rss_kb} kB for {size_kb} kB input")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
