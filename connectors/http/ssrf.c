#include "connectors/http/ssrf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct v4net {
    uint32_t net;
    int bits;
} v4net;

static const v4net private_v4[] = {
    {0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},  {0xa9fe0000, 16},
    {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24}, {0xc0a80000, 16}, {0xc6120000, 15},
    {0xc6336400, 24}, {0xcb007100, 24}, {0xe0000000, 4},  {0xf0000000, 4},
};

static int v4_in(uint32_t a, uint32_t net, int bits)
{
    uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
    return (a & mask) == (net & mask);
}

static int v6_in(const unsigned char *a, const unsigned char *net, int bits)
{
    for (int i = 0; i < 16 && bits > 0; i++, bits -= 8) {
        unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
        if ((a[i] & mask) != (net[i] & mask)) return 0;
    }
    return 1;
}

static int v4_private(uint32_t a)
{
    for (size_t i = 0; i < sizeof private_v4 / sizeof *private_v4; i++)
        if (v4_in(a, private_v4[i].net, private_v4[i].bits)) return 1;
    return 0;
}

/* IPv4 address of a mapped IPv6 address, or -1. */
static int64_t mapped_v4(const unsigned char *a)
{
    static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, prefix, 12)) return -1;
    return ((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) | ((uint32_t)a[14] << 8) | a[15];
}

int rpt_addr_is_private(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return v4_private(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        int64_t v4 = mapped_v4(a);
        if (v4 >= 0) return v4_private((uint32_t)v4);
        static const unsigned char zero[12] = {0};
        /* ::/96: unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d, which
         * some stacks still route to the embedded IPv4 address */
        if (!memcmp(a, zero, 12)) return 1;
        if ((a[0] & 0xfe) == 0xfc) return 1;                 /* fc00::/7 unique local */
        if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return 1; /* fe80::/10 link-local */
        if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return 1; /* fec0::/10 site-local */
        if (a[0] == 0xff) return 1;                          /* multicast */
        if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return 1;
        /* 64:ff9b::/32: the NAT64 prefixes 64:ff9b::/96 (RFC 6052) and 64:ff9b:1::/48
         * (RFC 8215) translate to an IPv4 address the guard cannot see */
        if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b) return 1;
        if (a[0] == 0x20 && a[1] == 0x02) return 1; /* 2002::/16 6to4 embeds an IPv4 address */
        if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) return 1; /* Teredo */
        if (a[0] == 0x01 && !memcmp(a + 1, zero, 7)) return 1; /* 100::/64 discard */
        return 0;
    }
    return 1; /* anything else (unix sockets...) is never a public web server */
}

/* Parses "ADDR" or "ADDR/BITS" into family, address bytes and prefix length. */
static int parse_cidr(const char *entry, int *family, unsigned char addr[16], int *bits)
{
    char tmp[64];
    size_t n = strlen(entry);
    if (n == 0 || n >= sizeof tmp) return -1;
    memcpy(tmp, entry, n + 1);
    char *slash = strchr(tmp, '/');
    long b = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        b = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end) return -1;
    }
    if (inet_pton(AF_INET, tmp, addr) == 1) {
        *family = AF_INET;
        if (b > 32) return -1;
        *bits = b < 0 ? 32 : (int)b;
        return 0;
    }
    if (inet_pton(AF_INET6, tmp, addr) == 1) {
        *family = AF_INET6;
        if (b > 128) return -1;
        *bits = b < 0 ? 128 : (int)b;
        return 0;
    }
    return -1;
}

int rpt_cidr_check(const char *entry, rpt_buf *err)
{
    int fam, bits;
    unsigned char a[16];
    if (parse_cidr(entry, &fam, a, &bits)) {
        rpt_buf_printf(err, "\"%s\" is not an IP address or CIDR block", entry);
        return -1;
    }
    return 0;
}

int rpt_addr_allowed(const struct sockaddr *sa, int allow_private, const rpt_kvlist *allowlist)
{
    if (allow_private || !rpt_addr_is_private(sa)) return 1;
    if (!allowlist) return 0;
    for (size_t i = 0; i < allowlist->n; i++) {
        int fam, bits;
        unsigned char net[16];
        if (parse_cidr(allowlist->vals[i], &fam, net, &bits)) continue;
        if (sa->sa_family == AF_INET && fam == AF_INET) {
            uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
            uint32_t n;
            memcpy(&n, net, 4);
            if (v4_in(a, ntohl(n), bits)) return 1;
        } else if (sa->sa_family == AF_INET6) {
            const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
            if (fam == AF_INET6 && v6_in(a, net, bits)) return 1;
            int64_t v4 = mapped_v4(a);
            uint32_t n;
            memcpy(&n, net, 4);
            if (fam == AF_INET && v4 >= 0 && v4_in((uint32_t)v4, ntohl(n), bits)) return 1;
        }
    }
    return 0;
}

void rpt_addr_text(const struct sockaddr *sa, char *out, size_t cap)
{
    out[0] = '\0';
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
    else
        snprintf(out, cap, "family %d", sa->sa_family);
}
