/* tls.h — OpenSSL contexts and what a finished handshake tells us.
 *
 * Verification runs in diagnostic mode (SSL_VERIFY_NONE, then
 * SSL_get_verify_result) so that a bad chain is still described: issuer,
 * root, SANs, expiry — the facts a network engineer needs to recognise a
 * TLS-inspecting proxy. */
#ifndef SSMPROBE_TLS_H
#define SSMPROBE_TLS_H

#include <openssl/ssl.h>

#include "options.h"
#include "result.h"

/* Size of the padding extension that makes the "large" ClientHello exceed
 * one TCP segment, as post-quantum key shares do (~1,200 extra bytes). */
#define TLS_LARGE_HELLO_PAD 1400

/* Create a client context: trust store from --ca-file/--ca-path or the
 * system's (or the store of share, when given); large adds the padding
 * extension. NULL with err on failure. */
SSL_CTX *tls_ctx_new(const struct options *o, bool large, SSL_CTX *share, char *err,
                     size_t errlen);

/* Prepare ssl for host: SNI (names only), hostname or IP verification. */
void tls_prepare(SSL *ssl, const char *host);

/* Fill out from a completed handshake (or from a failed one, as far as
 * the peer's certificates were seen). */
void tls_describe(SSL *ssl, struct tls_result *out);

/* The failure code for a verify result (X509_V_*), FC_NONE when ok. */
enum fail_code tls_verify_code(long verify);

/* Whether an organisation name is one of AWS's roots' (Amazon, Starfield). */
bool tls_org_is_amazon(const char *org);

#endif
