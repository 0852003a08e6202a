/* tls.c — client contexts, per-connection set-up and certificate facts. */
#include <dirent.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "msgs.h"
#include "tls.h"

/* A GREASE extension type (RFC 8701): servers must ignore it, so padding
 * carried in it enlarges the ClientHello without changing its meaning. */
#define GREASE_EXT_TYPE 0x5a5a

static int pad_add_cb(SSL *s, unsigned int ext_type, const unsigned char **out, size_t *outlen,
                      int *al, void *add_arg)
{
    static const unsigned char zeros[TLS_LARGE_HELLO_PAD];
    (void)s; (void)ext_type; (void)al; (void)add_arg;
    *out = zeros;
    *outlen = sizeof zeros;
    return 1;
}

/* Whether dir holds OpenSSL hash links (NNNNNNNN.0): then certificates can
 * be looked up one by one instead of parsing the whole bundle. */
static bool has_hash_links(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    bool found = false;
    int seen = 0;
    if (!d)
        return false;
    while (!found && seen < 4096 && (de = readdir(d))) {
        size_t n = strlen(de->d_name);
        seen++;
        found = n == 10 && de->d_name[8] == '.' && de->d_name[9] == '0' &&
                strspn(de->d_name, "0123456789abcdef") == 8;
    }
    closedir(d);
    return found;
}

/* The system trust store, as OpenSSL's default paths define it (and as
 * SSL_CERT_FILE / SSL_CERT_DIR override it). Parsing the whole bundle costs
 * ~18 ms before the first packet; a hashed directory is read lazily, one
 * certificate per lookup, so it is preferred when there is one. */
static void load_system_store(SSL_CTX *ctx)
{
    const char *file_env = getenv(X509_get_default_cert_file_env());
    const char *dir_env = getenv(X509_get_default_cert_dir_env());
    const char *dir = dir_env && dir_env[0] ? dir_env : X509_get_default_cert_dir();
    if ((!file_env || !file_env[0]) && has_hash_links(dir) &&
        SSL_CTX_load_verify_locations(ctx, NULL, dir) == 1)
        return;
    SSL_CTX_set_default_verify_paths(ctx);
}

SSL_CTX *tls_ctx_new(const struct options *o, bool large, SSL_CTX *share, char *err,
                     size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        snprintf(err, errlen, "cannot create a TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    /* A diagnostic must not resume sessions: every handshake is a full one. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    /* Idle connections give their 2 x 16 KiB record buffers back. */
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    if (share) {
        /* One trust store for both contexts: loaded (and parsed) once. */
        SSL_CTX_set1_cert_store(ctx, SSL_CTX_get_cert_store(share));
    } else if (o->ca_file || o->ca_path) {
        if (!SSL_CTX_load_verify_locations(ctx, o->ca_file, o->ca_path)) {
            snprintf(err, errlen, "cannot load the trust store %s: no usable certificate",
                     o->ca_file ? o->ca_file : o->ca_path);
            SSL_CTX_free(ctx);
            return NULL;
        }
    } else {
        load_system_store(ctx);
    }
    if (large && SSL_CTX_add_client_custom_ext(ctx, GREASE_EXT_TYPE, pad_add_cb, NULL, NULL,
                                               NULL, NULL) != 1) {
        snprintf(err, errlen, "cannot add the padding extension");
        SSL_CTX_free(ctx);
        return NULL;
    }
    ERR_clear_error();
    return ctx;
}

void tls_prepare(SSL *ssl, const char *host)
{
    if (addr_is_literal(host, NULL)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
    } else {
        SSL_set_tlsext_host_name(ssl, host);
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        SSL_set1_host(ssl, host);
    }
    static const unsigned char alpn[] = "\x08http/1.1";
    SSL_set_alpn_protos(ssl, alpn, sizeof alpn - 1); /* returns 0 on success */
    SSL_set_connect_state(ssl);
}

static char *name_string(const X509_NAME *n)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *s = NULL;
    if (!b)
        return NULL;
    if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *data;
        long len = BIO_get_mem_data(b, &data);
        if (len > 1024)
            len = 1024;
        s = xstrndup(data, (size_t)len);
        /* Certificates come from the network: no control characters out. */
        for (char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    }
    BIO_free(b);
    return s;
}

static char *org_of(const X509_NAME *n)
{
    char buf[256];
    if (X509_NAME_get_text_by_NID((X509_NAME *)n, NID_organizationName, buf, sizeof buf) < 0)
        return NULL;
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return xstrdup(buf);
}

static void add_sans(X509 *leaf, struct tls_result *out)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
    if (!names)
        return;
    int n = sk_GENERAL_NAME_num(names);
    for (int i = 0; i < n && out->nsans < 64; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        char buf[256] = "";
        if (g->type == GEN_DNS) {
            const unsigned char *d = ASN1_STRING_get0_data(g->d.dNSName);
            int len = ASN1_STRING_length(g->d.dNSName);
            if (len > 0 && len < (int)sizeof buf) {
                memcpy(buf, d, (size_t)len);
                buf[len] = '\0';
            }
        } else if (g->type == GEN_IPADD) {
            const unsigned char *d = ASN1_STRING_get0_data(g->d.iPAddress);
            int len = ASN1_STRING_length(g->d.iPAddress);
            if (len == 4)
                snprintf(buf, sizeof buf, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
            else if (len == 16) {
                char *p = buf;
                for (int k = 0; k < 16; k += 2)
                    p += snprintf(p, (size_t)(buf + sizeof buf - p), "%s%x", k ? ":" : "",
                                  (unsigned)(d[k] << 8 | d[k + 1]));
            }
        }
        for (char *p = buf; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        if (buf[0]) {
            out->sans = xrealloc(out->sans, (size_t)(out->nsans + 1) * sizeof *out->sans);
            out->sans[out->nsans++] = xstrdup(buf);
        }
    }
    GENERAL_NAMES_free(names);
}

bool tls_org_is_amazon(const char *org)
{
    return org && (strcmp(org, "Amazon") == 0 || strcmp(org, "Starfield Technologies, Inc.") == 0);
}

void tls_describe(SSL *ssl, struct tls_result *out)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    const unsigned char *alpn = NULL;
    unsigned int alpnlen = 0;

    snprintf(out->version, sizeof out->version, "%s", SSL_get_version(ssl));
    if (c)
        snprintf(out->cipher, sizeof out->cipher, "%s", SSL_CIPHER_get_name(c));
    SSL_get0_alpn_selected(ssl, &alpn, &alpnlen);
    if (alpn && alpnlen && alpnlen < sizeof out->alpn) {
        memcpy(out->alpn, alpn, alpnlen);
        out->alpn[alpnlen] = '\0';
    }
    out->verify_code = SSL_get_verify_result(ssl);
    snprintf(out->verify, sizeof out->verify, "%s",
             out->verify_code == X509_V_OK ? "ok" : X509_verify_cert_error_string(out->verify_code));

    X509 *leaf = SSL_get0_peer_certificate(ssl);
    if (!leaf)
        return;
    free(out->subject);
    free(out->issuer);
    out->subject = name_string(X509_get_subject_name(leaf));
    out->issuer = name_string(X509_get_issuer_name(leaf));
    if (!out->nsans)
        add_sans(leaf, out);

    const ASN1_TIME *na = X509_get0_notAfter(leaf);
    struct tm tm;
    if (na && ASN1_TIME_to_tm(na, &tm)) {
        strftime(out->not_after, sizeof out->not_after, "%Y-%m-%dT%H:%M:%SZ", &tm);
        out->expired = X509_cmp_current_time(na) < 0;
    }

    /* The root: top of the verified chain, else the top of what was sent. */
    STACK_OF(X509) *chain = out->verify_code == X509_V_OK ? SSL_get0_verified_chain(ssl) : NULL;
    if (!chain)
        chain = SSL_get_peer_cert_chain(ssl);
    X509 *top = leaf;
    if (chain && sk_X509_num(chain) > 0)
        top = sk_X509_value(chain, sk_X509_num(chain) - 1);
    free(out->root);
    free(out->root_org);
    /* A self-signed top is the root; otherwise name its issuer (the root
     * the server did not send) — that is what the user must trust. */
    if (X509_check_issued(top, top) == X509_V_OK) {
        out->root = name_string(X509_get_subject_name(top));
        out->root_org = org_of(X509_get_subject_name(top));
    } else {
        out->root = name_string(X509_get_issuer_name(top));
        out->root_org = org_of(X509_get_issuer_name(top));
    }
    out->intercepted = !tls_org_is_amazon(out->root_org);
}

enum fail_code tls_verify_code(long v)
{
    switch (v) {
    case X509_V_OK:
        return FC_NONE;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return FC_TLS_HOSTNAME_MISMATCH;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return FC_TLS_EXPIRED;
    default:
        return FC_TLS_UNTRUSTED;
    }
}
