/* Base64 (RFC 4648, standard alphabet, padded). */
#ifndef REPORTD_COMMON_BASE64_H
#define REPORTD_COMMON_BASE64_H

#include <stddef.h>

#include "common/buf.h"

int rpt_base64_encode(rpt_buf *out, const unsigned char *data, size_t len);
/* Decodes base64 text (whitespace ignored). Returns 0, or -1 on a malformed input. */
int rpt_base64_decode(rpt_buf *out, const char *text, size_t len);

#endif
