/* test_dns_walk.c — dns_walk_answer() on hand-built DNS messages: rcode
 * names, CNAME chains, truncation at every length, loops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a tiny DNS message builder ---------------------------------------- */

struct pkt {
    unsigned char b[8192];
    int n;
};

static void put8(struct pkt *p, unsigned v)
{
    assert_true(p->n < (int)sizeof p->b);
    p->b[p->n++] = (unsigned char)v;
}

static void put16(struct pkt *p, unsigned v)
{
    put8(p, v >> 8);
    put8(p, v & 0xff);
}

static void put32(struct pkt *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p, v & 0xffff);
}

enum { T_A_ = 1, T_CNAME_ = 5, T_AAAA_ = 28, C_IN_ = 1 };
#define QR 0x8000u
#define RD 0x0100u
#define RA 0x0080u

static void header(struct pkt *p, unsigned rcode, unsigned qd, unsigned an)
{
    p->n = 0;
    put16(p, 0x1234);
    put16(p, QR | RD | RA | (rcode & 0xf));
    put16(p, qd);
    put16(p, an);
    put16(p, 0);
    put16(p, 0);
}

/* Labels of a dotted name; ends with the root label unless end_ptr >= 0,
 * in which case it ends with a compression pointer to that offset. */
static void name_ptr(struct pkt *p, const char *dotted, int end_ptr)
{
    const char *s = dotted;
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        put8(p, (unsigned)len);
        for (size_t i = 0; i < len; i++)
            put8(p, (unsigned char)s[i]);
        s += len;
        if (*s == '.')
            s++;
    }
    if (end_ptr >= 0)
        put16(p, 0xc000u | (unsigned)end_ptr);
    else
        put8(p, 0);
}

static void name(struct pkt *p, const char *dotted)
{
    name_ptr(p, dotted, -1);
}

static void question(struct pkt *p, const char *qname, unsigned type)
{
    name(p, qname);
    put16(p, type);
    put16(p, C_IN_);
}

/* Type, class, TTL and a placeholder rdlength; returns where rdata starts. */
static int rr_head(struct pkt *p, unsigned type)
{
    put16(p, type);
    put16(p, C_IN_);
    put32(p, 60);
    put16(p, 0);
    return p->n;
}

static void rr_end(struct pkt *p, int rdata)
{
    int len = p->n - rdata;
    p->b[rdata - 2] = (unsigned char)(len >> 8);
    p->b[rdata - 1] = (unsigned char)(len & 0xff);
}

static void rr_cname(struct pkt *p, int owner_ptr, const char *owner, const char *target)
{
    if (owner_ptr >= 0)
        put16(p, 0xc000u | (unsigned)owner_ptr);
    else
        name(p, owner);
    int rd = rr_head(p, T_CNAME_);
    name(p, target);
    rr_end(p, rd);
}

static void rr_a(struct pkt *p, int owner_ptr, const char *owner, unsigned a, unsigned b,
                 unsigned c, unsigned d)
{
    if (owner_ptr >= 0)
        put16(p, 0xc000u | (unsigned)owner_ptr);
    else
        name(p, owner);
    int rd = rr_head(p, T_A_);
    put8(p, a);
    put8(p, b);
    put8(p, c);
    put8(p, d);
    rr_end(p, rd);
}

/* ---- walking ----------------------------------------------------------- */

struct walk {
    int rc;
    char rcode[12];
    char **cname;
    int ncname;
};

/* Walk len bytes of p from an exactly sized heap copy (ASan sees over-reads). */
static struct walk walk(const struct pkt *p, int len)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    unsigned char *copy = malloc(len > 0 ? (size_t)len : 1);
    assert_non_null(copy);
    if (len > 0)
        memcpy(copy, p->b, (size_t)len);
    w.rc = dns_walk_answer(copy, len, w.rcode, sizeof w.rcode, &w.cname, &w.ncname);
    free(copy);
    return w;
}

static void walk_free(struct walk *w)
{
    for (int i = 0; i < w->ncname; i++)
        free(w->cname[i]);
    free(w->cname);
    w->cname = NULL;
    w->ncname = 0;
}

/* ssm.us-east-1.amazonaws.com CNAME a.vpce.example
 * a.vpce.example             CNAME b.example (owner compressed)
 * b.example                  A     10.0.1.5  (owner compressed) */
static void cname_chain(struct pkt *p)
{
    header(p, 0, 1, 3);
    question(p, "ssm.us-east-1.amazonaws.com", T_A_);
    /* owner: pointer to the question name at 12 */
    put16(p, 0xc00c);
    int rd = rr_head(p, T_CNAME_);
    int a_vpce = p->n;                 /* "a.vpce.example" starts here */
    name(p, "a.vpce.example");
    rr_end(p, rd);
    put16(p, 0xc000u | (unsigned)a_vpce);
    rd = rr_head(p, T_CNAME_);
    int b_example = p->n;
    name_ptr(p, "b", a_vpce + 2 + 4 + 1);  /* "b" + pointer to "example" inside a.vpce.example */
    rr_end(p, rd);
    rr_a(p, b_example, NULL, 10, 0, 1, 5);
}

static void test_cname_chain(void **state)
{
    struct pkt p;
    (void)state;
    cname_chain(&p);
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_string_equal(w.rcode, "NOERROR");
    assert_int_equal(w.ncname, 2);
    assert_string_equal(w.cname[0], "a.vpce.example");
    assert_string_equal(w.cname[1], "b.example");
    walk_free(&w);
}

static void test_no_cname(void **state)
{
    struct pkt p;
    (void)state;
    header(&p, 0, 1, 2);
    question(&p, "ssm.us-east-1.amazonaws.com", T_A_);
    rr_a(&p, 12, NULL, 52, 46, 141, 158);
    rr_a(&p, 12, NULL, 52, 46, 141, 159);
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_string_equal(w.rcode, "NOERROR");
    assert_int_equal(w.ncname, 0);
    assert_null(w.cname);
    walk_free(&w);
}

static void test_rcodes(void **state)
{
    static const struct {
        unsigned rcode;
        const char *name;
    } cases[] = {
        { 0, "NOERROR" }, { 1, "FORMERR" }, { 2, "SERVFAIL" }, { 3, "NXDOMAIN" },
        { 4, "NOTIMP" }, { 5, "REFUSED" }, { 6, "OTHER" }, { 9, "OTHER" }, { 15, "OTHER" },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct pkt p;
        header(&p, cases[i].rcode, 1, 0);
        question(&p, "ssm.us-east-1.amazonaws.com", T_AAAA_);
        struct walk w = walk(&p, p.n);
        assert_int_equal(w.rc, 0);
        if (strcmp(w.rcode, cases[i].name) != 0)
            fail_msg("rcode %u: '%s', want '%s'", cases[i].rcode, w.rcode, cases[i].name);
        assert_int_equal(w.ncname, 0);
        walk_free(&w);
    }
}

static void test_nxdomain_with_cname(void **state)
{
    /* NXDOMAIN after a CNAME: the chain is still reported. */
    struct pkt p;
    (void)state;
    header(&p, 3, 1, 1);
    question(&p, "ssm.us-east-1.amazonaws.com", T_A_);
    rr_cname(&p, 12, NULL, "gone.example");
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_string_equal(w.rcode, "NXDOMAIN");
    assert_int_equal(w.ncname, 1);
    assert_string_equal(w.cname[0], "gone.example");
    walk_free(&w);
}

static void test_header_only(void **state)
{
    struct pkt p;
    (void)state;
    header(&p, 2, 0, 0);
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_string_equal(w.rcode, "SERVFAIL");
    walk_free(&w);
}

static void test_truncated_every_length(void **state)
{
    struct pkt p;
    (void)state;
    cname_chain(&p);
    for (int len = 0; len < p.n; len++) {
        struct walk w = walk(&p, len);
        /* Every record is announced in the header: any cut is malformed. */
        if (w.rc != -1)
            fail_msg("truncated to %d of %d bytes: rc %d, want -1", len, p.n, w.rc);
        if (w.ncname > 2)
            fail_msg("truncated to %d bytes: %d names", len, w.ncname);
        walk_free(&w);
    }
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    walk_free(&w);

    /* The same with the NXDOMAIN header-plus-question message. */
    header(&p, 3, 1, 0);
    question(&p, "ssm.us-east-1.amazonaws.com", T_A_);
    for (int len = 0; len < p.n; len++) {
        w = walk(&p, len);
        if (w.rc != -1)
            fail_msg("NXDOMAIN truncated to %d of %d: rc %d", len, p.n, w.rc);
        assert_int_equal(w.ncname, 0);
        walk_free(&w);
    }
}

static void test_bad_args(void **state)
{
    char rcode[12] = "x";
    char **cname = NULL;
    int n = 0;
    unsigned char hdr[12] = { 0 };
    (void)state;
    assert_int_equal(dns_walk_answer(NULL, 100, rcode, sizeof rcode, &cname, &n), -1);
    assert_int_equal(dns_walk_answer(hdr, -1, rcode, sizeof rcode, &cname, &n), -1);
    assert_int_equal(dns_walk_answer(hdr, 11, rcode, sizeof rcode, &cname, &n), -1);
    assert_int_equal(n, 0);
    assert_null(cname);
    /* A tiny rcode buffer is not overrun. */
    struct pkt p;
    header(&p, 3, 0, 0);
    char small[4];
    assert_int_equal(dns_walk_answer(p.b, p.n, small, sizeof small, &cname, &n), 0);
    assert_string_equal(small, "NXD");
}

static void test_cname_loop(void **state)
{
    /* a CNAME b, b CNAME a: no endless walk, each name once. */
    struct pkt p;
    (void)state;
    header(&p, 0, 1, 2);
    question(&p, "a.example", T_A_);
    rr_cname(&p, 12, NULL, "b.example");
    rr_cname(&p, -1, "b.example", "a.example");
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.ncname, 2);
    assert_string_equal(w.cname[0], "b.example");
    assert_string_equal(w.cname[1], "a.example");
    walk_free(&w);

    /* The same record many times over: kept once. */
    header(&p, 0, 1, 200);
    question(&p, "a.example", T_A_);
    for (int i = 0; i < 200; i++)
        rr_cname(&p, 12, NULL, "a.example");
    w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.ncname, 1);
    assert_string_equal(w.cname[0], "a.example");
    walk_free(&w);
}

static void test_cname_cap(void **state)
{
    /* 100 distinct CNAMEs: the chain is bounded. */
    struct pkt p;
    (void)state;
    header(&p, 0, 1, 100);
    question(&p, "c0.example", T_A_);
    for (int i = 0; i < 100; i++) {
        char owner[32], target[32];
        snprintf(owner, sizeof owner, "c%d.example", i);
        snprintf(target, sizeof target, "c%d.example", i + 1);
        rr_cname(&p, -1, owner, target);
    }
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, 0);
    assert_true(w.ncname >= 1);
    assert_true(w.ncname <= 32);
    assert_string_equal(w.cname[0], "c1.example");
    walk_free(&w);
}

static void test_ancount_lies(void **state)
{
    /* The header announces more answers than the message holds. */
    struct pkt p;
    (void)state;
    header(&p, 0, 1, 65535);
    question(&p, "ssm.us-east-1.amazonaws.com", T_A_);
    rr_cname(&p, 12, NULL, "x.example");
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);

    /* qdcount lies too. */
    header(&p, 0, 65535, 0);
    question(&p, "ssm.us-east-1.amazonaws.com", T_A_);
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);
}

static void test_rdlength_lies(void **state)
{
    /* An A record whose rdlength runs past the end. */
    struct pkt p;
    (void)state;
    header(&p, 0, 1, 1);
    question(&p, "a.example", T_A_);
    put16(&p, 0xc00c);
    put16(&p, T_A_);
    put16(&p, C_IN_);
    put32(&p, 60);
    put16(&p, 400);
    put32(&p, 0x0a000001);
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);

    /* A CNAME whose rdata name runs past the end of the message. */
    header(&p, 0, 1, 1);
    question(&p, "a.example", T_A_);
    put16(&p, 0xc00c);
    put16(&p, T_CNAME_);
    put16(&p, C_IN_);
    put32(&p, 60);
    put16(&p, 3);
    put8(&p, 40);          /* a 40-byte label, 2 bytes present */
    put8(&p, 'x');
    put8(&p, 'y');
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    assert_int_equal(w.ncname, 0);
    walk_free(&w);
}

static void test_pointer_loops(void **state)
{
    struct pkt p;
    (void)state;

    /* Question name is a pointer to itself. */
    header(&p, 0, 1, 0);
    put16(&p, 0xc00c);
    put16(&p, T_A_);
    put16(&p, C_IN_);
    struct walk w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);

    /* Two pointers pointing at each other. */
    header(&p, 0, 1, 0);
    put16(&p, 0xc00e);      /* at 12 → 14 */
    put16(&p, 0xc00c);      /* at 14 → 12 */
    put16(&p, T_A_);
    put16(&p, C_IN_);
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);

    /* A label followed by a pointer back to itself: x.x.x.x... */
    header(&p, 0, 1, 0);
    name_ptr(&p, "x", 12);
    put16(&p, T_A_);
    put16(&p, C_IN_);
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);

    /* A CNAME whose target is a pointer to itself. */
    header(&p, 0, 1, 1);
    question(&p, "a.example", T_A_);
    put16(&p, 0xc00c);
    int rd = rr_head(&p, T_CNAME_);
    put16(&p, 0xc000u | (unsigned)p.n);
    rr_end(&p, rd);
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    assert_int_equal(w.ncname, 0);
    walk_free(&w);

    /* A pointer past the end of the message. */
    header(&p, 0, 1, 0);
    put16(&p, 0xc000u | 0x3000u);
    put16(&p, T_A_);
    put16(&p, C_IN_);
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);

    /* An answer owner that points forward into garbage. */
    header(&p, 0, 1, 1);
    question(&p, "a.example", T_A_);
    put16(&p, 0xc000u | (unsigned)(p.n + 2));
    put8(&p, 0xc0);
    put8(&p, 0xff);
    w = walk(&p, p.n);
    assert_int_equal(w.rc, -1);
    walk_free(&w);
}

static void test_garbage_no_crash(void **state)
{
    /* Deterministic pseudo-random messages: rc is 0 or -1, never a crash. */
    struct pkt p;
    uint32_t x = 2463534242u;
    (void)state;
    for (int round = 0; round < 3000; round++) {
        int len = 12 + (int)(x % 200);
        for (int i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            p.b[i] = (unsigned char)x;
        }
        /* keep the counts small so that records get walked */
        p.b[4] = 0;
        p.b[5] = (unsigned char)(x % 3);
        p.b[6] = 0;
        p.b[7] = (unsigned char)(x % 5);
        p.n = len;
        struct walk w = walk(&p, len);
        if (w.rc != 0 && w.rc != -1)
            fail_msg("round %d: rc %d", round, w.rc);
        assert_true(w.ncname >= 0 && w.ncname <= 32);
        for (int i = 0; i < w.ncname; i++)
            assert_non_null(w.cname[i]);
        walk_free(&w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cname_chain),
        cmocka_unit_test(test_no_cname),
        cmocka_unit_test(test_rcodes),
        cmocka_unit_test(test_nxdomain_with_cname),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_truncated_every_length),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_cname_loop),
        cmocka_unit_test(test_cname_cap),
        cmocka_unit_test(test_ancount_lies),
        cmocka_unit_test(test_rdlength_lies),
        cmocka_unit_test(test_pointer_loops),
        cmocka_unit_test(test_garbage_no_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
