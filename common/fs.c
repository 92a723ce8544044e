#include "common/fs.h"

#include <errno.h>
#include <stdio.h>

#include "common/buf.h"

char *rpt_read_file(const char *path, size_t max_bytes, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    rpt_buf b = RPT_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max_bytes) {
            rpt_buf_clear(&b);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        if (rpt_buf_append(&b, chunk, n)) {
            rpt_buf_clear(&b);
            fclose(f);
            errno = ENOMEM;
            return NULL;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        rpt_buf_clear(&b);
        errno = EIO;
        return NULL;
    }
    if (len_out) *len_out = b.len;
    return rpt_buf_steal(&b);
}

