/* Times the stages of `reportd extract` one by one over the files named on the command line:
 * reading, decoding, segmentation (which builds the code point index), indicator extraction,
 * placement and metric keys ("keys": rpt_place and rpt_metric_keys_assign), JSON output (into
 * memory) and releasing the document. Times are CPU time of this thread,
 * so that other jobs on the machine disturb them less than wall time. Prints MB/s of input
 * per stage, the share of each, and segmentation + indicators together ("stages only").
 * Built and run by bench/extract/run against the build's transforms and common libraries. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/hash.h"
#include "transforms/extract.h"

enum { READ, DECODE, SEGMENT, INDICATORS, KEYS, JSON, CLEAR, N_STAGES };
static const char *const NAMES[N_STAGES] = {"read", "decode", "segment", "indicators",
                                            "keys", "json",   "clear"};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads path into buf (reset first); returns 0 or -1. */
static int read_file(const char *path, rpt_buf *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    char chunk[65536];
    size_t n;
    rpt_buf_reset(buf);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rpt_buf_append(buf, chunk, n);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    size_t total = 0, indicators = 0;
    double spent[N_STAGES] = {0};
    rpt_buf data = RPT_BUF_INIT, out = RPT_BUF_INIT, err = RPT_BUF_INIT;
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* as reportd extract does */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    for (int i = 1; i < argc; i++) {
        double t0 = cpu_now();
        if (read_file(argv[i], &data)) return 1;
        double t1 = cpu_now();
        rpt_document doc;
        memset(&doc, 0, sizeof doc);
        char id[17];
        rpt_doc_id(argv[i], id);
        doc.source = strdup(argv[i]);
        doc.doc_id = strdup(id);
        rpt_extract_input in = {
            .source = argv[i], .data = (const unsigned char *)data.data, .len = data.len};
        rpt_buf_reset(&err);
        if (rpt_decode(&in, &doc, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.data);
            return 1;
        }
        double t2 = cpu_now();
        if (rpt_segment(&doc, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.data);
            return 1;
        }
        double t3 = cpu_now();
        if (rpt_place(&doc, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.data);
            return 1;
        }
        double t3k = cpu_now();
        if (rpt_indicators_extract(&doc, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.data);
            return 1;
        }
        double t4k = cpu_now();
        if (rpt_metric_keys_assign(&doc, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.data);
            return 1;
        }
        double t4 = cpu_now();
        rpt_buf_reset(&out);
        if (rpt_document_write_json(&doc, 0, &out)) return 1;
        double t5 = cpu_now();
        total += data.len;
        indicators += doc.n_indicators;
        rpt_document_clear(&doc);
        double t6 = cpu_now();
        spent[READ] += t1 - t0;
        spent[DECODE] += t2 - t1;
        spent[SEGMENT] += t3 - t2;
        spent[INDICATORS] += t4k - t3k;
        spent[KEYS] += (t3k - t3) + (t4 - t4k);
        spent[JSON] += t5 - t4;
        spent[CLEAR] += t6 - t5;
    }
    double all = 0;
    for (int s = 0; s < N_STAGES; s++)
        all += spent[s];
    for (int s = 0; s < N_STAGES; s++)
        printf("  %-12s %8.1f MB/s  %5.1f %%\n", NAMES[s],
               spent[s] > 0 ? (double)total / 1e6 / spent[s] : 0.0,
               all > 0 ? 100 * spent[s] / all : 0.0);
    double seg_ind = spent[SEGMENT] + spent[INDICATORS];
    printf("all stages       %.1f MB/s of CPU time (the command without process start and "
           "output)\n",
           all > 0 ? (double)total / 1e6 / all : 0.0);
    printf("stages only      %.1f MB/s (segmentation + indicators, %zu indicators)\n",
           seg_ind > 0 ? (double)total / 1e6 / seg_ind : 0.0, indicators);
    rpt_buf_clear(&data);
    rpt_buf_clear(&out);
    rpt_buf_clear(&err);
    return 0;
}
