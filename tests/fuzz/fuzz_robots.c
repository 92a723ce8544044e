/* libFuzzer target: robots.txt parsing and matching. The input is the robots.txt body; the
 * paths matched are fixed ones plus the input's last line (so the fuzzer steers both the
 * patterns and a path). The matcher must stay linear: libFuzzer's -timeout catches a
 * pattern that makes it backtrack. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/http/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpt_robots *r = rpt_robots_parse((const char *)data, size, "reportd");
    if (!r) return 0;
    static const char *const paths[] = {"/", "/a", "/private/x.html", "/jyj/art/2024/t1.html?x=1",
                                        "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        rpt_robots_allowed(r, paths[i]);
    const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
    const uint8_t *last = data;
    while (nl && (size_t)(nl - data) + 1 < size) {
        last = nl + 1;
        nl = memchr(last, '\n', size - (size_t)(last - data));
    }
    size_t n = size - (size_t)(last - data);
    char *path = malloc(n + 2);
    if (path) {
        path[0] = '/';
        memcpy(path + 1, last, n);
        path[n + 1] = '\0';
        rpt_robots_allowed(r, path);
        free(path);
    }
    rpt_robots_free(r);
    return 0;
}
