/* addr.h — classification of IP addresses (SPEC "What one probe does" 1). */
#ifndef SSMPROBE_ADDR_H
#define SSMPROBE_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "result.h"

/* Scope of a numeric address: private (RFC 1918, 100.64/10, fc00::/7),
 * loopback, link-local, other (reserved, documentation, multicast,
 * unspecified, benchmarking, class E), public (the rest).
 * IPv4-mapped IPv6 addresses are classified as their IPv4 address.
 * Returns SCOPE_OTHER for text that is not an address. */
enum addr_scope addr_scope_of(const char *ip);

/* True when s is a numeric IPv4 or IPv6 address; *family receives 4 or 6. */
bool addr_is_literal(const char *s, int *family);

/* Whether a numeric IPv4 address lies in a CIDR "a.b.c.d/n". */
bool addr_in_cidr4(const char *ip, const char *cidr);

#endif
