/* SHA-256 helpers (short inputs hashed here, bodies by OpenSSL's libcrypto, which libcurl
 * and libpq link anyway). */
#ifndef REPORTD_COMMON_HASH_H
#define REPORTD_COMMON_HASH_H

#include <stddef.h>

/* Writes the lowercase hex SHA-256 of data into hex (65 bytes with the NUL). */
void rpt_sha256_hex(const void *data, size_t len, char hex[65]);
/* doc_id of a canonical URL or path: the first 16 hex digits of its SHA-256. */
void rpt_doc_id(const char *canonical, char out[17]);

#endif
