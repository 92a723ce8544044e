#!/usr/bin/env python3
"""Checks reportd extract on tests/fixtures/portal (see make-fixtures.py there) and on the
seed texts. Prints 'N passed, N failed'; exits 1 on any failure."""
import json, os, re, subprocess, sys

SRC = os.environ.get("REPORTD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.environ.get("REPORTD_BIN", os.path.join(SRC, "build", "reportd"))
PORTAL = os.path.join(SRC, "tests", "fixtures", "portal")
SEEDS = os.path.join(SRC, "tests", "fixtures", "seeds")
CHROME = ["当前位置", "您现在的位置", "打印本页", "关闭窗口", "扫一扫在手机打开当前页", "字体大小",
          "相关文章", "返回顶部", "ICP备", "首页", "发布时间", "信息索引号", "[bookmark", "不是正文",
          "HYPERLINK"]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)


def extract(path, *args):
    p = subprocess.run([BIN, "extract", "--with-text", *args, path], capture_output=True, text=True)
    check(p.returncode == 0, f"{path}: exit {p.returncode} {p.stderr[-300:]}")
    return json.loads(p.stdout.splitlines()[0])


def norm(line):
    return re.sub(r"\s+", " ", line).strip()


def seed_nonempty(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return [l for l in f.read().split("\n") if l.strip()]


with open(os.path.join(PORTAL, "expected.json"), encoding="utf-8") as f:
    expected = json.load(f)

for fname, exp in expected.items():
    d = extract(os.path.join(PORTAL, fname))
    a, b = exp["body_lines"]
    want = [norm(l.replace("[bookmark: _GoBack]", "")) for l in seed_nonempty(exp["seed"])[a:b]]
    got = [norm(l) for l in d["text"].split("\n") if l.strip()]
    if fname.endswith(".docx"):
        # the .docx adds a table after the bookmarked paragraph and a field line at the end
        raw = [l for l in d["text"].split("\n") if l.strip()]
        check(raw[4:8] == exp["table"], f"{fname}: table rows {raw[4:8]}")
        check(got[-1] == norm(exp["last"]) and d["text"].endswith(exp["last"]), f"{fname}: field result {got[-1]!r}")
        got = got[:4] + got[8:-1]
    check(got == want, f"{fname}: body differs from seed lines [{a}:{b}] "
          f"(first diff at {next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))}, "
          f"{len(got)} vs {len(want)} lines)")
    for c in CHROME:
        check(c not in d["text"], f"{fname}: chrome {c!r} left in the text")
    check(d["title"] == exp["title"], f"{fname}: title {d['title']!r}")
    for key in ("published_at", "issuer", "index_no", "region", "region_code", "city", "province",
                "year", "url", "charset"):
        if key in exp:
            check(d[key] == exp[key], f"{fname}: {key} = {d[key]!r}, expected {exp[key]!r}")
    check(d["format"] == ("docx" if fname.endswith(".docx") else "html"), f"{fname}: format")
    check(d["replaced_chars"] == 0, f"{fname}: replaced_chars {d['replaced_chars']}")
    check(d["text_chars"] == len(d["text"]), f"{fname}: text_chars {d['text_chars']} != {len(d['text'])}")

# .txt inputs: the text is the file's own text (offsets refer to it), metadata from its lines
SEED_META = {
    "000": {"title": "南岳区教育局2024年工作总结及2025年工作计划", "published_at": "2025-05-30T12:02:29+08:00",
            "region": "南岳区", "region_code": "430412", "year": 2024},
    "001": {"title": "芙蓉区教育局2017年工作总结与2018年工作计划", "published_at": "2018-02-09T00:00:00+08:00",
            "region": "芙蓉区", "year": 2017},
    "002": {"title": "芷江侗族自治县教育局2023年上半年工作总结", "published_at": "2023-07-25T17:44:00+08:00",
            "issuer": "芷江县教育局", "region": "芷江侗族自治县", "region_code": "431228", "year": 2023},
    "003": {"title": "区教育局2024年工作总结及2025年工作思路", "published_at": "2025-04-01T11:57:00+08:00",
            "index_no": "001008001003013/2025-20839", "region": "临平区", "region_code": "330113", "year": 2024},
    "004": {"title": "古丈县教体局2024年工作总结及2025年工作计划", "published_at": None, "region": "古丈县",
            "city": "湘西土家族苗族自治州", "province": "湖南省", "year": 2024},
}
for name in sorted(os.listdir(SEEDS)):
    path = os.path.join(SEEDS, name)
    d = extract(path)
    with open(path, encoding="utf-8") as f:
        own = f.read()
    check(d["text"] == own, f"{name}: text is not the file's own text")
    check(d["format"] == "text" and d["charset"] == "UTF-8", f"{name}: format/charset")
    for key, val in SEED_META[name[:3]].items():
        check(d[key] == val, f"{name}: {key} = {d[key]!r}, expected {val!r}")

# a source's declared region applies (seed 003 is from 临平区; its body names it too)
d = extract(os.path.join(SEEDS, [n for n in os.listdir(SEEDS) if n.startswith("003")][0]), "--region", "临平区")
check(d["region"] == "临平区" and d["region_code"] == "330113" and d["city"] == "杭州市", f"--region: {d['region']}")

# the gazetteer is looked up in $REPORTD_DATA_DIR first
import tempfile
with tempfile.TemporaryDirectory() as data:
    with open(os.path.join(data, "gazetteer.tsv"), "w", encoding="utf-8") as f:
        f.write("# code\tname\tcity\tprovince\tlevel\talias\n999901\t试验区\t试验市\t试验省\tcounty\t\n")
    doc = os.path.join(data, "report.txt")
    with open(doc, "w", encoding="utf-8") as f:
        f.write("试验区教育局2024年工作总结\n一、主要工作\n南岳区也有学校。\n")
    p = subprocess.run([BIN, "extract", doc], capture_output=True, text=True,
                       env=dict(os.environ, REPORTD_DATA_DIR=data))
    d = json.loads(p.stdout)
    check(d["region_code"] == "999901" and d["province"] == "试验省", f"REPORTD_DATA_DIR: {d['region_code']}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
