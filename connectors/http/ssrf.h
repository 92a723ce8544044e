/* SSRF guard: which resolved addresses the fetcher may connect to. By default loopback,
 * private, shared, link-local, multicast and reserved addresses are refused; a source opens
 * them with allow_private_networks or with an allowlist of addresses and CIDR blocks. */
#ifndef REPORTD_CONNECTORS_HTTP_SSRF_H
#define REPORTD_CONNECTORS_HTTP_SSRF_H

#include <sys/socket.h>

#include "common/opts.h"

/* True when the address is loopback, private (RFC 1918, ULA), shared (100.64/10),
 * link-local, multicast, unspecified or reserved. IPv4-mapped IPv6 is checked as IPv4. */
int rpt_addr_is_private(const struct sockaddr *sa);

/* True when the fetcher may connect to `sa`: a public address, or a private one opened by
 * allow_private or by an allowlist entry ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"). */
int rpt_addr_allowed(const struct sockaddr *sa, int allow_private, const rpt_kvlist *allowlist);

/* Validates one allowlist entry. Returns 0, or -1 with a reason in err. */
int rpt_cidr_check(const char *entry, rpt_buf *err);

/* Writes the numeric address of sa into out (for messages). */
void rpt_addr_text(const struct sockaddr *sa, char *out, size_t cap);

#endif
