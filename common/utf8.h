/* UTF-8 checks shared by the layers. */
#ifndef REPORTD_COMMON_UTF8_H
#define REPORTD_COMMON_UTF8_H

#include <stddef.h>

/* True when data[0..len) is valid UTF-8 without NUL bytes (storable as Postgres text). */
int rpt_utf8_text_ok(const void *data, size_t len);

/* A NUL-terminated copy of data[0..len) that PostgreSQL accepts as text: valid UTF-8 is kept
 * as is, every byte that is not (and NUL) becomes the four characters "\xHH". The result is
 * the input itself when it was valid. Caller frees; NULL on ENOMEM. */
char *rpt_utf8_escape(const void *data, size_t len);

#endif
