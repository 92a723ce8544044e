/* reportd extract FILE|URL...: runs the transform stage offline and prints one JSON object
 * per input (the DESIGN.md contract). An input that cannot be processed prints an object
 * with "source" and "error", and the command exits 1 after processing the rest. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/http/fetcher.h"
#include "common/fs.h"
#include "connectors/http/url.h"
#include "daemon/command.h"
#include "pipeline/config.h"
#include "transforms/extract.h"
#include "transforms/json_writer.h"

#define DEFAULT_MAX_BYTES (64ull << 20)

/* Output is written in blocks of about this many bytes, not one write per document:
 * system calls are dear on virtual machines, and a batch command is read to its end. */
#define OUTPUT_BLOCK (256u << 10)

/* Writes what out holds to stdout and empties it. */
static void flush_output(rpt_buf *out)
{
    if (out->len) fwrite(out->data, 1, out->len, stdout);
    rpt_buf_reset(out);
}

/* Adds one line of JSON for a document or an error to out, the caller's output buffer,
 * reused from one block to the next so that writing allocates nothing once it has grown to
 * a block and the largest document; writes the block out once it is full, or at once when
 * flush (a terminal, or an input fetched over the network: its line is not held back for
 * the next ones). */
static void print_result(const char *source, const rpt_document *doc, const char *error,
                         int with_text, int flush, rpt_buf *out)
{
    size_t mark = out->len;
    int rc = 0;
    if (doc) {
        rc = rpt_document_write_json(doc, with_text, out);
    } else {
        rpt_jw w;
        rpt_jw_init(&w, out);
        rpt_jw_map_open(&w);
        rpt_jw_str(&w, "source", source);
        rpt_jw_str(&w, "error", error);
        rpt_jw_map_close(&w);
        rc = w.oom ? -1 : 0;
    }
    if (rc || rpt_buf_putc(out, '\n')) {
        fprintf(stderr, "reportd extract: %s: out of memory writing the result\n", source);
        out->len = mark; /* the lines before stay whole */
        if (out->data) out->data[mark] = '\0';
    }
    if (flush || out->len >= OUTPUT_BLOCK) flush_output(out);
}

/* Fetches a URL input with the fetcher's limits and guards ([fetch] of $REPORTD_CONFIG and
 * REPORTD_FETCH_* variables; REPORTD_FETCH_ALLOW_PRIVATE_NETWORKS=true for loopback
 * portals). On success *data (caller frees) holds the body and *ctype its Content-Type. */
static int fetch_input(const char *url, size_t max_bytes, char **data, size_t *len, char **ctype,
                       rpt_buf *err)
{
    rpt_config cfg;
    if (rpt_config_load(&cfg, rpt_config_path_from_env(), err)) return -1;
    if ((unsigned long long)cfg.fetch.max_body_bytes > max_bytes)
        cfg.fetch.max_body_bytes = (long long)max_bytes;
    rpt_buf body = RPT_BUF_INIT;
    int rc = rpt_fetch_url(&cfg.fetch, url, &body, NULL, ctype, err);
    rpt_config_clear(&cfg);
    if (rc) return -1;
    *len = body.len;
    *data = rpt_buf_steal(&body);
    return 0;
}

/* Extracts one input; returns 0 when it produced a document. PDF and .doc inputs decode
 * in a child process under the [transform] limits of $REPORTD_CONFIG (or the defaults). */
static int extract_one(const char *source, int with_text, size_t max_bytes, const char *region,
                       const rpt_transform_settings *ts, int to_terminal, rpt_buf *out)
{
    int remote = strstr(source, "://") != NULL;
    rpt_buf err = RPT_BUF_INIT;
    rpt_document doc;
    size_t len = 0;
    int rc = -1;
    char *data = NULL, *ctype = NULL, *canon = NULL;
    if (remote) {
        if (fetch_input(source, max_bytes, &data, &len, &ctype, &err)) goto out;
        canon = rpt_url_canonical(source);
    } else if (!(data = rpt_read_file(source, max_bytes, &len))) {
        if (errno == EFBIG)
            rpt_buf_printf(&err, "input larger than %zu bytes (raise --max-bytes)", max_bytes);
        else
            rpt_buf_printf(&err, "cannot read: %s", strerror(errno));
        goto out;
    }
    rpt_ocr_options ocr;
    rpt_sandbox_limits limits;
    rpt_extract_isolate isolate = rpt_transform_isolation(ts, &ocr, &limits);
    rpt_extract_input in = {.source = source,
                           .url = canon,
                           .data = (const unsigned char *)data,
                           .len = len,
                           .content_type = ctype,
                           .region_hint = region,
                           .isolate = isolate,
                           .isolate_ctx = &limits,
                           .ocr = &ocr};
    if (rpt_extract(&in, &doc, &err) == 0) {
        print_result(source, &doc, NULL, with_text, to_terminal || remote, out);
        rpt_document_clear(&doc);
        rc = 0;
    }
out:
    if (rc)
        print_result(source, NULL, err.data ? err.data : "unknown error", 0, to_terminal || remote,
                     out);
    free(data);
    free(ctype);
    free(canon);
    rpt_buf_clear(&err);
    return rc;
}

static int run_extract(int argc, char **argv)
{
    static const struct option longopts[] = {{"with-text", no_argument, NULL, 't'},
                                             {"max-bytes", required_argument, NULL, 'm'},
                                             {"region", required_argument, NULL, 'r'},
                                             {NULL, 0, NULL, 0}};
    int with_text = 0, opt;
    size_t max_bytes = DEFAULT_MAX_BYTES;
    const char *region = NULL;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 't':
            with_text = 1;
            break;
        case 'm': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || v == 0) {
                fprintf(stderr, "reportd extract: --max-bytes: expected a positive integer\n");
                return RPT_EXIT_USAGE;
            }
            max_bytes = (size_t)v;
            break;
        }
        case 'r':
            region = optarg;
            break;
        default:
            fputs(rpt_cmd_extract.usage, stderr);
            return RPT_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(rpt_cmd_extract.usage, stderr);
        return RPT_EXIT_USAGE;
    }
    /* documents come one after another in similar sizes: keep freed memory for the next
     * one instead of handing it back to the kernel and faulting it in again (the heap stays
     * at what the largest document needed) */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    rpt_config cfg;
    rpt_buf cerr = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, rpt_config_path_from_env(), &cerr)) {
        fprintf(stderr, "reportd extract: %s\n", cerr.data ? cerr.data : "cannot load the config");
        rpt_buf_clear(&cerr);
        return RPT_EXIT_USAGE;
    }
    rpt_buf_clear(&cerr);
    int failed = 0;
    rpt_buf out = RPT_BUF_INIT;
    int to_terminal = isatty(STDOUT_FILENO);
    for (int i = optind; i < argc; i++)
        failed |= extract_one(argv[i], with_text, max_bytes, region, &cfg.transform, to_terminal,
                              &out) != 0;
    flush_output(&out);
    rpt_config_clear(&cfg);
    rpt_buf_clear(&out);
    fflush(stdout);
    return failed ? RPT_EXIT_FAILURE : RPT_EXIT_OK;
}

const rpt_command rpt_cmd_extract = {
    .name = "extract",
    .summary = "extract sections and indicators from files or URLs, print JSON lines",
    .usage = "usage: reportd extract [--with-text] [--max-bytes N] [--region NAME] FILE|URL...\n\n"
             "Runs the transform stage offline: decodes each input (HTML, .docx or text),\n"
             "segments it and extracts indicators, printing one JSON object per input.\n"
             "Offsets are Unicode code points into the document text (for .txt inputs,\n"
             "the file's own text). An input that fails prints {\"source\",\"error\"} and the\n"
             "command exits 1 after processing the rest.\n\n"
             "  --with-text      include the normalised text as \"text\"\n"
             "  --max-bytes N    refuse inputs larger than N bytes (default 64 MiB)\n"
             "  --region NAME    region to assume when the document does not name one\n",
    .run = run_extract,
};
