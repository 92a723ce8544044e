/* Files. */
#ifndef REPORTD_COMMON_FS_H
#define REPORTD_COMMON_FS_H

#include <stddef.h>

/* Reads a whole file into a NUL-terminated buffer (caller frees). Refuses files larger
 * than max_bytes. Returns NULL with errno set. */
char *rpt_read_file(const char *path, size_t max_bytes, size_t *len_out);

#endif
