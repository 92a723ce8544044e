/* libFuzzer target: the config loader (JSON with comments, every section's settings table,
 * the sources array with each source kind's table). The input is written to an in-memory
 * file and loaded as the config; it must load or be refused with a reason. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pipeline/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("reportd-fuzz-config", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    rpt_config cfg;
    rpt_buf err = RPT_BUF_INIT;
    if (rpt_config_load(&cfg, path, &err) == 0) rpt_config_clear(&cfg);
    rpt_buf_clear(&err);
    close(fd);
    return 0;
}
