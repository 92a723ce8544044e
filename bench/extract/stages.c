/* Times segmentation + indicator extraction alone (no decoding, no JSON output) over the
 * .txt files named on the command line, on their text as read. Prints MB/s of input.
 * Built and run by bench/extract/run against the build's libreportd_core.a. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "transforms/extract.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t total = 0, indicators = 0;
    double busy = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        rd_document doc;
        memset(&doc, 0, sizeof doc);
        rd_buf text = RD_BUF_INIT, err = RD_BUF_INIT;
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) rd_buf_append(&text, chunk, n);
        fclose(f);
        doc.text_len = text.len;
        doc.text = rd_buf_steal(&text);
        if (!doc.text) return 1;
        double t0 = now();
        if (rd_segment(&doc, &err) || rd_indicators_extract(&doc, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.data);
            return 1;
        }
        busy += now() - t0;
        total += doc.text_len;
        indicators += doc.n_indicators;
        rd_document_clear(&doc);
        rd_buf_free(&err);
    }
    printf("stages only      %.1f MB/s (segmentation + indicators, %zu indicators)\n",
           busy > 0 ? (double)total / 1e6 / busy : 0.0, indicators);
    return 0;
}
