#include "common/hash.h"

#include <openssl/evp.h>
#include <string.h>

void rpt_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    static const char digits[] = "0123456789abcdef";
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL)) n = 0;
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = i < n ? digits[md[i] >> 4] : '0';
        hex[2 * i + 1] = i < n ? digits[md[i] & 15] : '0';
    }
    hex[64] = '\0';
}

void rpt_doc_id(const char *canonical, char out[17])
{
    char hex[65];
    rpt_sha256_hex(canonical, strlen(canonical), hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}
