/* UTF-8 checks shared by the layers. */
#ifndef REPORTD_COMMON_UTF8_H
#define REPORTD_COMMON_UTF8_H

#include <stddef.h>

/* True when data[0..len) is valid UTF-8 without NUL bytes (storable as Postgres text). */
int rpt_utf8_text_ok(const void *data, size_t len);

#endif
