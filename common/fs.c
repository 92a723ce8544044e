#include "common/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads fd to its end into a buffer of *cap bytes (+1 for the NUL) at *data, growing it
 * as needed, up to max_bytes. size is the size fstat() gave a regular file (else
 * SIZE_MAX); *cap is larger. Returns the length, or -1 with errno set (EFBIG past
 * max_bytes). */
static long long read_all(int fd, size_t size, size_t max_bytes, char **data, size_t *cap)
{
    size_t len = 0;
    for (;;) {
        if (len == *cap) {
            if (*cap > max_bytes) { /* max_bytes + 1 bytes read */
                errno = EFBIG;
                return -1;
            }
            size_t ncap = *cap * 2 > max_bytes + 1 ? max_bytes + 1 : *cap * 2;
            char *p = realloc(*data, ncap + 1);
            if (!p) {
                errno = ENOMEM;
                return -1;
            }
            *data = p, *cap = ncap;
        }
        ssize_t n = read(fd, *data + len, *cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        len += (size_t)n;
        /* a regular file read to its size by a read that stopped short is at its end: no
         * second read to hear it (files of /proc, whose size reads 0, or that grow or
         * shrink meanwhile, are read until a read returns nothing) */
        if (len == size && len < *cap) break;
    }
    return (long long)len;
}

/* One open, one fstat and, for a regular file that does not change meanwhile, one read
 * into a buffer of its size plus one byte (a read that stops short of it is at the end):
 * `reportd extract` reads thousands of files, and system calls are dear on virtual
 * machines. */
char *rpt_read_file(const char *path, size_t max_bytes, size_t *len_out)
{
    if (max_bytes > SIZE_MAX / 4) max_bytes = SIZE_MAX / 4;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular && (unsigned long long)st.st_size > max_bytes) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    size_t cap = regular && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    if (cap > max_bytes + 1) cap = max_bytes + 1;
    char *data = malloc(cap + 1);
    long long len =
        data ? read_all(fd, regular ? (size_t)st.st_size : SIZE_MAX, max_bytes, &data, &cap)
             : (errno = ENOMEM, -1);
    int saved = errno;
    close(fd);
    if (len < 0) {
        free(data);
        errno = saved;
        return NULL;
    }
    data[len] = '\0';
    if (len_out) *len_out = (size_t)len;
    return data;
}
