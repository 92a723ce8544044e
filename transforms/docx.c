/* Word .docx: word/document.xml read from the zip with libzip (size and ratio capped, so a
 * zip bomb is refused before it is inflated), parsed with libxml2 without entity expansion
 * or network access. Paragraphs become lines, tables tab-separated lines; field codes,
 * deleted text, bookmarks and the fallback copies of alternate content are dropped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "transforms/decode.h"

#define RATIO_MIN_BYTES (1u << 20) /* the ratio guard applies above this size */
#define MAX_XML_DEPTH 300

typedef struct docx_walk {
    rpt_buf out;
    int in_instr; /* open fields whose instruction part we are in */
    int fields;   /* open fields */
    int in_cell;
    int oom;
} docx_walk;

static int local_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static void put(docx_walk *w, const char *s, size_t len)
{
    if (rpt_buf_append(&w->out, s, len)) w->oom = 1;
}

/* Ends the current line (a space inside a table cell); never makes empty lines. */
static void line_break(docx_walk *w)
{
    if (w->in_cell) {
        if (w->out.len && w->out.data[w->out.len - 1] != ' ' && w->out.data[w->out.len - 1] != '\t')
            put(w, " ", 1);
        return;
    }
    if (w->out.len && w->out.data[w->out.len - 1] != '\n') put(w, "\n", 1);
}

static void walk(docx_walk *w, xmlNode *n, int depth);

static void walk_children(docx_walk *w, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k && !w->oom; k = k->next)
        walk(w, k, depth + 1);
}

/* Tracks field boundaries (w:fldChar begin/separate/end): the instruction part between
 * begin and separate is dropped, the result part kept. */
static void field_char(docx_walk *w, xmlNode *n)
{
    xmlChar *type = NULL;
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (!strcmp((const char *)a->name, "fldCharType")) type = xmlNodeGetContent((xmlNode *)a);
    if (!type) return;
    if (!strcmp((const char *)type, "begin")) {
        w->fields++;
        w->in_instr++;
    } else if (!strcmp((const char *)type, "separate")) {
        if (w->in_instr > 0) w->in_instr--;
    } else if (!strcmp((const char *)type, "end")) {
        if (w->fields > 0) w->fields--;
        if (w->in_instr > w->fields) w->in_instr = w->fields;
    }
    xmlFree(type);
}

/* A table: one line per row, cells separated by tabs; a nested table is flattened into
 * its cell with spaces. */
static void walk_table(docx_walk *w, xmlNode *tbl, int depth)
{
    for (xmlNode *tr = tbl->children; tr && !w->oom; tr = tr->next) {
        if (!local_is(tr, "tr")) continue;
        line_break(w);
        int first = 1;
        for (xmlNode *tc = tr->children; tc && !w->oom; tc = tc->next) {
            if (!local_is(tc, "tc")) continue;
            if (!first && !w->in_cell)
                put(w, "\t", 1);
            else if (!first)
                line_break(w);
            first = 0;
            w->in_cell++;
            size_t before = w->out.len;
            walk_children(w, tc, depth + 2);
            /* drop the separator a cell's last paragraph left */
            if (w->out.len > before && w->out.data[w->out.len - 1] == ' ') w->out.len--;
            w->in_cell--;
        }
        line_break(w);
    }
}

/* Renders the WordprocessingML subtree at n (elements matched by local name). */
static void walk(docx_walk *w, xmlNode *n, int depth)
{
    if (n->type != XML_ELEMENT_NODE || depth > MAX_XML_DEPTH) return;
    const char *name = (const char *)n->name;
    if (!strcmp(name, "t")) {
        if (w->in_instr) return;
        xmlChar *t = xmlNodeGetContent(n);
        if (t) put(w, (const char *)t, strlen((const char *)t));
        xmlFree(t);
    } else if (!strcmp(name, "tab") && !local_is(n->parent, "tabs")) {
        if (!w->in_instr) put(w, w->in_cell ? " " : "\t", 1);
    } else if (!strcmp(name, "br") || !strcmp(name, "cr")) {
        if (!w->in_instr) line_break(w);
    } else if (!strcmp(name, "fldChar")) {
        field_char(w, n);
    } else if (!strcmp(name, "p")) {
        walk_children(w, n, depth);
        line_break(w);
    } else if (!strcmp(name, "tbl")) {
        line_break(w);
        walk_table(w, n, depth);
    } else if (!strcmp(name, "AlternateContent")) {
        for (xmlNode *k = n->children; k; k = k->next)
            if (local_is(k, "Choice")) {
                walk_children(w, k, depth + 1);
                break;
            }
    } else if (!strcmp(name, "del") || !strcmp(name, "instrText") || !strcmp(name, "delText") ||
               !strcmp(name, "bookmarkStart") || !strcmp(name, "bookmarkEnd") ||
               !strcmp(name, "rPr") || !strcmp(name, "pPr") || !strcmp(name, "sectPr") ||
               !strcmp(name, "proofErr") || !strcmp(name, "footnoteReference") ||
               !strcmp(name, "commentReference")) {
        return;
    } else {
        walk_children(w, n, depth);
    }
}

/* Reads word/document.xml into out within the size and ratio limits. */
static int read_document_xml(zip_t *za, rpt_buf *out, rpt_buf *err)
{
    zip_int64_t idx = zip_name_locate(za, "word/document.xml", 0);
    if (idx < 0) {
        rpt_buf_puts(err, "zip archive without word/document.xml (not a .docx)");
        return -1;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0) {
        rpt_buf_printf(err, "malformed .docx: %s", zip_strerror(za));
        return -1;
    }
    uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > RPT_DOCX_MAX_XML_BYTES) {
        rpt_buf_printf(err,
                      "zip bomb guard: word/document.xml would expand to %llu bytes (limit %u)",
                      (unsigned long long)st.size, RPT_DOCX_MAX_XML_BYTES);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > RATIO_MIN_BYTES &&
        st.size / (comp ? comp : 1) > RPT_DOCX_MAX_RATIO) {
        rpt_buf_printf(err,
                      "zip bomb guard: word/document.xml compression ratio %llu:1 exceeds %d:1",
                      (unsigned long long)(st.size / (comp ? comp : 1)), RPT_DOCX_MAX_RATIO);
        return -1;
    }
    zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!zf) {
        rpt_buf_printf(err, "malformed .docx: cannot open word/document.xml: %s", zip_strerror(za));
        return -1;
    }
    int rc = -1;
    char chunk[65536];
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof chunk);
        if (n < 0) {
            rpt_buf_printf(err, "malformed .docx: reading word/document.xml: %s",
                          zip_file_strerror(zf));
            goto out;
        }
        if (n == 0) break;
        /* the sizes in the archive may lie: enforce the limits on what actually comes out */
        if (out->len + (size_t)n > RPT_DOCX_MAX_XML_BYTES ||
            (out->len + (size_t)n > RATIO_MIN_BYTES &&
             (out->len + (size_t)n) / (comp ? comp : 1) > RPT_DOCX_MAX_RATIO)) {
            rpt_buf_printf(err, "zip bomb guard: word/document.xml inflates beyond %zu bytes",
                          out->len + (size_t)n);
            goto out;
        }
        if (rpt_buf_append(out, chunk, (size_t)n)) {
            rpt_buf_puts(err, "out of memory reading .docx");
            goto out;
        }
    }
    rc = 0;
out:
    zip_fclose(zf);
    return rc;
}

int rpt_decode_docx(const rpt_extract_input *in, rpt_document *doc, rpt_buf *err)
{
    rpt_buf xml = RPT_BUF_INIT;
    docx_walk w = {0};
    zip_t *za = NULL;
    xmlDocPtr xdoc = NULL;
    int rc = -1;
    if (in->len < 4 || memcmp(in->data, "PK\x03\x04", 4) != 0) {
        rpt_buf_puts(err, "not a .docx: not a zip archive");
        return -1;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(in->data, in->len, 0, &ze);
    if (src) {
        za = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!za) zip_source_free(src);
    }
    if (!za) {
        rpt_buf_printf(err, "not a .docx: malformed zip archive (%s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    zip_error_fini(&ze);
    if (read_document_xml(za, &xml, err)) goto out;
    if (xml.len == 0 || xml.len > INT32_MAX) {
        rpt_buf_puts(err, "malformed .docx: empty word/document.xml");
        goto out;
    }
    xdoc = xmlReadMemory(xml.data, (int)xml.len, "document.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    xmlNode *root = xdoc ? xmlDocGetRootElement(xdoc) : NULL;
    if (!root) {
        rpt_buf_puts(err, "malformed .docx: word/document.xml is not XML");
        goto out;
    }
    /* Word never writes a DTD; entities of an internal subset would be expanded on every
     * content read (nested ones: a billion-laughs bomb). */
    if (xdoc->intSubset && xdoc->intSubset->children) {
        rpt_buf_puts(err, "refused .docx: word/document.xml declares a DTD internal subset "
                          "(entity expansion)");
        goto out;
    }
    walk(&w, root, 0);
    if (w.oom || rpt_buf_reserve(&w.out, 0)) {
        rpt_buf_puts(err, "out of memory decoding .docx");
        goto out;
    }
    while (w.out.len && w.out.data[w.out.len - 1] == '\n')
        w.out.len--;
    /* the XML parser guarantees UTF-8, but not that it is free of NUL or invalid bytes in
     * recovered text: run the same sanitising pass as every other input */
    rpt_buf clean = RPT_BUF_INIT;
    size_t chars = 0;
    long replaced = 0;
    if (rpt_utf8_sanitize((const unsigned char *)w.out.data, w.out.len, 0, &clean, &replaced,
                         &chars) ||
        rpt_buf_reserve(&clean, 0)) {
        rpt_buf_clear(&clean);
        rpt_buf_puts(err, "out of memory decoding .docx");
        goto out;
    }
    doc->text_len = clean.len;
    doc->text = rpt_buf_steal(&clean);
    doc->text_chars = chars;
    doc->replaced_chars = replaced;
    doc->charset = strdup("UTF-8");
    doc->format = strdup("docx");
    if (!doc->charset || !doc->format) {
        rpt_buf_puts(err, "out of memory");
        goto out;
    }
    rc = 0;
out:
    if (xdoc) xmlFreeDoc(xdoc);
    if (za) zip_discard(za);
    rpt_buf_clear(&xml);
    rpt_buf_clear(&w.out);
    return rc;
}
