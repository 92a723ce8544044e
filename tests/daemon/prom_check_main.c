/* prom_check < metrics.txt: exits 0 when stdin is valid Prometheus text exposition (see
 * prom_check.h), 1 with the first problem on stderr otherwise. For the shell tests. */
#include <stdio.h>

#include "prom_check.h"

int main(void)
{
    rpt_buf in = RPT_BUF_INIT, err = RPT_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        rpt_buf_append(&in, chunk, n);
    int samples = prom_check(in.data ? in.data : "", in.len, &err);
    if (samples < 0)
        fprintf(stderr, "prom_check: %s\n", err.data ? err.data : "invalid");
    else
        fprintf(stderr, "prom_check: %d samples ok\n", samples);
    rpt_buf_clear(&in);
    rpt_buf_clear(&err);
    return samples < 0 ? 1 : 0;
}
