/* Legacy Word (.doc, Word 97-2003) and WPS (2003 and later) files: the text of the main
 * document, read from the piece table of the WordDocument stream in the OLE compound file.
 * Debian has no maintained library for this (wv and antiword are unmaintained programs),
 * so this is a small reader of just the text ([MS-CFB] and [MS-DOC] 2.4.1):
 *
 *   compound file: header, FAT (through the DIFAT), directory, mini FAT and mini stream;
 *   every sector chain is bounded by the sector count, every offset checked;
 *   WordDocument: the FIB gives ccpText (characters of the main document), which table
 *   stream (0Table / 1Table) holds the Clx, and fcClx/lcbClx; the Clx's PlcPcd maps
 *   character positions to pieces, each either UTF-16LE or "compressed" 8-bit (cp1252);
 *   special characters: paragraph ends become line ends, cell ends tabs, field
 *   instructions (between 0x13 and 0x14) are dropped with their marks.
 *
 * Word 6/95 files (another FIB) and encrypted files are rejected with the reason. The
 * reader runs through in->isolate when set, like the PDF decoder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transforms/decode.h"

#define MAX_STREAM_BYTES (256u << 20)
#define MAX_TEXT_CHARS (64u << 20)
#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT 0xFFFFFFFFu

typedef struct cfb {
    const unsigned char *d;
    size_t len;
    unsigned shift;      /* sector size = 1 << shift */
    uint32_t nsect;      /* sectors in the file */
    uint32_t *fat;       /* next sector of each sector */
    uint32_t nfat;
    uint32_t *minifat;
    uint32_t nminifat;
    unsigned char *ministream; /* the root entry's stream */
    size_t ministream_len;
    uint32_t cutoff;
    unsigned char *dir; /* the directory stream */
    size_t dir_len;
} cfb;

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void cfb_free(cfb *c)
{
    free(c->fat);
    free(c->minifat);
    free(c->ministream);
    free(c->dir);
}

/* Reads the chain starting at `start` of the regular FAT (size bytes, or the whole chain
 * when size is SIZE_MAX). Returns a malloc'd buffer or NULL with err set. */
static unsigned char *read_chain(const cfb *c, uint32_t start, size_t size, size_t *out_len,
                                 rpt_buf *err)
{
    size_t ss = (size_t)1 << c->shift, cap = size == SIZE_MAX ? 0 : size, n = 0;
    if (size != SIZE_MAX && size > MAX_STREAM_BYTES) {
        rpt_buf_puts(err, "malformed .doc: stream too large");
        return NULL;
    }
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf) goto oom;
    uint32_t s = start, steps = 0;
    while (s != ENDOFCHAIN && (size == SIZE_MAX || n < size)) {
        if (s >= c->nsect || s >= c->nfat || ++steps > c->nsect) {
            rpt_buf_puts(err, "malformed .doc: broken sector chain");
            free(buf);
            return NULL;
        }
        size_t off = ((size_t)s + 1) << c->shift;
        size_t take = size == SIZE_MAX ? ss : (size - n < ss ? size - n : ss);
        if (size == SIZE_MAX) {
            if (n + ss > MAX_STREAM_BYTES) {
                rpt_buf_puts(err, "malformed .doc: stream too large");
                free(buf);
                return NULL;
            }
            if (n + ss > cap) {
                cap = cap ? cap * 2 : ss * 4;
                unsigned char *nb = realloc(buf, cap);
                if (!nb) goto oom;
                buf = nb;
            }
        }
        if (off >= c->len) { /* a truncated file: the rest reads as zeros */
            memset(buf + n, 0, take);
        } else {
            size_t have = c->len - off < take ? c->len - off : take;
            memcpy(buf + n, c->d + off, have);
            memset(buf + n + have, 0, take - have);
        }
        n += take;
        s = c->fat[s];
    }
    if (size != SIZE_MAX && n < size) {
        rpt_buf_puts(err, "malformed .doc: stream shorter than its size");
        free(buf);
        return NULL;
    }
    *out_len = n;
    return buf;
oom:
    free(buf);
    rpt_buf_puts(err, "out of memory");
    return NULL;
}

/* Reads a stream of `size` bytes from the mini stream. */
static unsigned char *read_mini(const cfb *c, uint32_t start, size_t size, rpt_buf *err)
{
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        rpt_buf_puts(err, "out of memory");
        return NULL;
    }
    size_t n = 0;
    uint32_t s = start, steps = 0;
    while (n < size) {
        size_t off = (size_t)s * 64;
        size_t take = size - n < 64 ? size - n : 64;
        if (s >= c->nminifat || ++steps > c->nminifat || off + take > c->ministream_len) {
            rpt_buf_puts(err, "malformed .doc: broken mini sector chain");
            free(buf);
            return NULL;
        }
        memcpy(buf + n, c->ministream + off, take);
        n += take;
        s = c->minifat[s];
    }
    return buf;
}

static int cfb_open(cfb *c, const unsigned char *d, size_t len, rpt_buf *err)
{
    memset(c, 0, sizeof *c);
    c->d = d;
    c->len = len;
    if (len < 512 || memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        rpt_buf_puts(err, "malformed .doc: not an OLE compound file");
        return -1;
    }
    c->shift = u16(d + 0x1E);
    if (c->shift != 9 && c->shift != 12) {
        rpt_buf_puts(err, "malformed .doc: bad sector size");
        return -1;
    }
    size_t ss = (size_t)1 << c->shift;
    c->nsect = (uint32_t)((len + ss - 1) / ss); /* an upper bound: sector 0 starts after the header */
    uint32_t nfatsect = u32(d + 0x2C), dir_start = u32(d + 0x30);
    c->cutoff = u32(d + 0x38);
    uint32_t minifat_start = u32(d + 0x3C), nminifatsect = u32(d + 0x40);
    uint32_t difat_start = u32(d + 0x44), ndifat = u32(d + 0x48);
    if (nfatsect == 0 || nfatsect > c->nsect || ndifat > c->nsect) {
        rpt_buf_puts(err, "malformed .doc: bad FAT size");
        return -1;
    }
    /* the FAT sectors: 109 in the header, then DIFAT sectors */
    uint32_t per = (uint32_t)(ss / 4);
    c->nfat = nfatsect * per;
    c->fat = malloc((size_t)c->nfat * 4);
    if (!c->fat) goto oom;
    uint32_t got = 0, difat = difat_start, steps = 0;
    for (uint32_t i = 0; i < 109 && got < nfatsect; i++) {
        uint32_t s = u32(d + 0x4C + 4 * i);
        size_t off = ((size_t)s + 1) << c->shift;
        if (s >= c->nsect || off + ss > len) goto bad_fat;
        memcpy(c->fat + (size_t)got * per, d + off, ss);
        got++;
    }
    while (got < nfatsect) {
        size_t doff = ((size_t)difat + 1) << c->shift;
        if (difat >= c->nsect || doff + ss > len || ++steps > ndifat + 1) goto bad_fat;
        for (uint32_t i = 0; i + 1 < per && got < nfatsect; i++) {
            uint32_t s = u32(d + doff + 4 * i);
            size_t off = ((size_t)s + 1) << c->shift;
            if (s >= c->nsect || off + ss > len) goto bad_fat;
            memcpy(c->fat + (size_t)got * per, d + off, ss);
            got++;
        }
        difat = u32(d + doff + ss - 4);
    }
    for (uint32_t i = 0; i < c->nfat; i++) /* little-endian in the file, whatever the host */
        c->fat[i] = u32((const unsigned char *)&c->fat[i]);
    c->dir = read_chain(c, dir_start, SIZE_MAX, &c->dir_len, err);
    if (!c->dir) return -1;
    if (c->dir_len < 128) {
        rpt_buf_puts(err, "malformed .doc: no directory");
        return -1;
    }
    /* the root entry's stream is the mini stream */
    const unsigned char *root = c->dir;
    uint64_t root_size = u32(root + 0x78);
    if (root_size && nminifatsect) {
        if (root_size > MAX_STREAM_BYTES || nminifatsect > c->nsect) {
            rpt_buf_puts(err, "malformed .doc: bad mini stream");
            return -1;
        }
        c->ministream = read_chain(c, u32(root + 0x74), (size_t)root_size, &c->ministream_len, err);
        if (!c->ministream) return -1;
        size_t mflen = 0;
        unsigned char *mf = read_chain(c, minifat_start, (size_t)nminifatsect * ss, &mflen, err);
        if (!mf) return -1;
        c->minifat = (uint32_t *)mf;
        c->nminifat = (uint32_t)(mflen / 4);
        for (uint32_t i = 0; i < c->nminifat; i++)
            c->minifat[i] = u32(mf + 4 * (size_t)i);
    }
    return 0;
bad_fat:
    rpt_buf_puts(err, "malformed .doc: FAT sector out of range");
    return -1;
oom:
    rpt_buf_puts(err, "out of memory");
    return -1;
}

/* Finds a stream by its ASCII name and reads it (caller frees). NULL with err set when it
 * is absent or unreadable. */
static unsigned char *cfb_stream(const cfb *c, const char *name, size_t *len, rpt_buf *err)
{
    size_t nl = strlen(name);
    for (size_t off = 0; off + 128 <= c->dir_len; off += 128) {
        const unsigned char *e = c->dir + off;
        if (e[0x42] != 2) continue; /* streams only */
        uint16_t bytes = u16(e + 0x40);
        if (bytes != (nl + 1) * 2) continue;
        size_t i = 0;
        while (i < nl && u16(e + 2 * i) == (unsigned char)name[i])
            i++;
        if (i < nl) continue;
        uint32_t start = u32(e + 0x74);
        size_t size = u32(e + 0x78);
        if (size > MAX_STREAM_BYTES) {
            rpt_buf_printf(err, "malformed .doc: %s stream too large", name);
            return NULL;
        }
        *len = size;
        if (size < c->cutoff) {
            if (!c->ministream) {
                rpt_buf_puts(err, "malformed .doc: no mini stream");
                return NULL;
            }
            return read_mini(c, start, size, err);
        }
        size_t got;
        return read_chain(c, start, size, &got, err);
    }
    rpt_buf_printf(err, "not a Word .doc file: no %s stream", name);
    return NULL;
}

/* cp1252 bytes 0x80-0x9F as Unicode ([MS-DOC] 2.4.1, compressed pieces). */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

typedef struct doc_text {
    rpt_buf out;
    int field_depth;   /* open fields */
    int instr_depth;   /* open fields whose instruction part we are in */
    uint32_t hi;       /* a pending high surrogate */
    int oom;
} doc_text;

static void put_cp(doc_text *t, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (rpt_buf_append(&t->out, b, n)) t->oom = 1;
}

/* One character of the main document, special characters handled. */
static void put_char(doc_text *t, uint32_t c)
{
    if (c >= 0xD800 && c <= 0xDBFF) {
        t->hi = c;
        return;
    }
    if (c >= 0xDC00 && c <= 0xDFFF) {
        if (t->hi) c = 0x10000 + ((t->hi - 0xD800) << 10) + (c - 0xDC00);
        else c = 0xFFFD;
        t->hi = 0;
    } else if (t->hi) {
        put_cp(t, 0xFFFD);
        t->hi = 0;
    }
    switch (c) {
    case 0x13: /* field begin: the instruction follows */
        t->field_depth++;
        t->instr_depth++;
        return;
    case 0x14: /* field separator: the result follows */
        if (t->instr_depth > 0) t->instr_depth--;
        return;
    case 0x15: /* field end */
        if (t->field_depth > 0) t->field_depth--;
        if (t->instr_depth > t->field_depth) t->instr_depth = t->field_depth;
        return;
    default:
        break;
    }
    if (t->instr_depth > 0) return;
    switch (c) {
    case 0x0D: case 0x0B: case 0x0C: case 0x0E:
        put_cp(t, '\n');
        return;
    case 0x07: /* cell end; a row end follows the last cell */
        put_cp(t, '\t');
        return;
    case 0x09:
        put_cp(t, '\t');
        return;
    case 0x1E:
        put_cp(t, '-');
        return;
    case 0xA0:
        put_cp(t, ' ');
        return;
    default:
        break;
    }
    if (c < 0x20 || c == 0x1F) return; /* object anchors, footnote marks, optional hyphens */
    put_cp(t, c);
}

/* Tidies cell ends: "\t\t" (last cell end + row end) ends the row; tabs before a line end
 * go. Works in place. */
static void tidy_tabs(rpt_buf *b)
{
    size_t o = 0;
    for (size_t i = 0; i < b->len; i++) {
        char c = b->data[i];
        if (c == '\t' && i + 1 < b->len && b->data[i + 1] == '\t') {
            while (o > 0 && b->data[o - 1] == '\t')
                o--;
            b->data[o++] = '\n';
            i++;
            continue;
        }
        if (c == '\n')
            while (o > 0 && b->data[o - 1] == '\t')
                o--;
        b->data[o++] = c;
    }
    b->len = o;
}

typedef struct doc_task {
    const unsigned char *data;
    size_t len;
} doc_task;

static int doc_task_run(const doc_task *dt, rpt_buf *out, rpt_buf *err)
{
    cfb c;
    unsigned char *wd = NULL, *tbl = NULL;
    size_t wd_len = 0, tbl_len = 0;
    doc_text t = {.out = RPT_BUF_INIT};
    int rc = -1;
    if (cfb_open(&c, dt->data, dt->len, err)) goto out;
    if (!(wd = cfb_stream(&c, "WordDocument", &wd_len, err))) goto out;
    if (wd_len < 0x1AA || u16(wd) != 0xA5EC) {
        rpt_buf_puts(err, "not a Word .doc file: no Word 97 FIB");
        goto out;
    }
    uint16_t nfib = u16(wd + 2), flags = u16(wd + 0x0A);
    if (nfib < 0xC1) { /* Word 6/95 (nFib 101-105) keep their text another way */
        rpt_buf_printf(err, "Word 6/95 .doc files are not supported (nFib %u)", nfib);
        goto out;
    }
    if (flags & 0x0100) {
        rpt_buf_puts(err, "encrypted .doc (a password is needed to read it)");
        goto out;
    }
    uint32_t ccp_text = u32(wd + 0x4C);
    uint32_t fc_clx = u32(wd + 0x1A2), lcb_clx = u32(wd + 0x1A6);
    if (!(tbl = cfb_stream(&c, (flags & 0x0200) ? "1Table" : "0Table", &tbl_len, err))) goto out;
    if (lcb_clx == 0 || fc_clx > tbl_len || lcb_clx > tbl_len - fc_clx) {
        rpt_buf_puts(err, "malformed .doc: no piece table");
        goto out;
    }
    const unsigned char *clx = tbl + fc_clx, *end = clx + lcb_clx;
    while (clx < end && *clx == 0x01) { /* Prc: formatting, skipped */
        if (end - clx < 3) break;
        int16_t cb = (int16_t)u16(clx + 1);
        if (cb < 0 || end - clx - 3 < cb) break;
        clx += 3 + cb;
    }
    if (end - clx < 5 || *clx != 0x02) {
        rpt_buf_puts(err, "malformed .doc: no piece table");
        goto out;
    }
    uint32_t lcb = u32(clx + 1);
    const unsigned char *plc = clx + 5;
    if (lcb > (size_t)(end - plc) || lcb < 16 || (lcb - 4) % 12) {
        rpt_buf_puts(err, "malformed .doc: bad piece table");
        goto out;
    }
    uint32_t npieces = (lcb - 4) / 12;
    const unsigned char *pcds = plc + 4 * ((size_t)npieces + 1);
    size_t total = 0;
    for (uint32_t i = 0; i < npieces && !t.oom; i++) {
        uint32_t cp0 = u32(plc + 4 * i), cp1 = u32(plc + 4 * (i + 1));
        if (cp0 >= ccp_text) break;
        if (cp1 > ccp_text) cp1 = ccp_text;
        if (cp1 <= cp0) continue;
        uint32_t n = cp1 - cp0;
        total += n;
        if (total > MAX_TEXT_CHARS) {
            rpt_buf_puts(err, ".doc text too large");
            goto out;
        }
        uint32_t fc = u32(pcds + 8 * (size_t)i + 2);
        int compressed = (fc & 0x40000000u) != 0;
        fc &= 0x3FFFFFFFu;
        size_t off = compressed ? fc / 2 : fc;
        size_t bytes = (size_t)n * (compressed ? 1 : 2);
        if (off > wd_len || bytes > wd_len - off) {
            rpt_buf_puts(err, "malformed .doc: piece outside the WordDocument stream");
            goto out;
        }
        const unsigned char *p = wd + off;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t ch;
            if (compressed) {
                ch = p[k];
                if (ch >= 0x80 && ch <= 0x9F) ch = CP1252_HIGH[ch - 0x80];
            } else {
                ch = u16(p + 2 * (size_t)k);
            }
            put_char(&t, ch);
        }
    }
    if (t.oom) {
        rpt_buf_puts(err, "out of memory");
        goto out;
    }
    tidy_tabs(&t.out);
    if (rpt_buf_append(out, t.out.data ? t.out.data : "", t.out.len)) {
        rpt_buf_puts(err, "out of memory");
        goto out;
    }
    rc = 0;
out:
    rpt_buf_clear(&t.out);
    free(wd);
    free(tbl);
    cfb_free(&c);
    return rc;
}

int rpt_doc_task(const unsigned char *input, size_t len, rpt_buf *out, rpt_buf *err)
{
    doc_task task = {.data = input, .len = len};
    return doc_task_run(&task, out, err);
}

int rpt_decode_doc(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err)
{
    doc_task task = {.data = in->data, .len = in->len};
    rpt_buf text = RPT_BUF_INIT, clean = RPT_BUF_INIT;
    int rc = -1;
    if (in->isolate ? in->isolate(in->isolate_ctx, "doc", in->data, in->len, &text, err)
                    : doc_task_run(&task, &text, err))
        goto out;
    long replaced = 0;
    size_t chars = 0;
    if (rpt_utf8_sanitize((const unsigned char *)(text.data ? text.data : ""), text.len, 0, &clean,
                          &replaced, &chars) < 0 ||
        rpt_buf_reserve(&clean, 0)) {
        rpt_buf_puts(err, "out of memory");
        goto out;
    }
    doc->format = strdup("doc");
    doc->charset = strdup("UTF-16LE");
    if (!doc->format || !doc->charset) {
        rpt_buf_puts(err, "out of memory");
        goto out;
    }
    doc->text_len = clean.len;
    doc->text = rpt_buf_steal(&clean);
    doc->text_chars = chars;
    doc->replaced_chars = replaced;
    rc = 0;
out:
    rpt_buf_clear(&text);
    rpt_buf_clear(&clean);
    return rc;
}
