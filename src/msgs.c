/* msgs.c — stderr messages and allocation that never returns NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"

static int quiet_flag;
static int verbose_level;

void msgs_set_quiet(int quiet) { quiet_flag = quiet; }
void msgs_set_verbose(int level) { verbose_level = level; }
int msgs_verbose(void) { return verbose_level; }

/* One message is one line: user input echoed in a message (a value with a
 * newline, terminal escapes) is made harmless here, once for all callers. */
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    fprintf(stderr, "ssmprobe: %s%s\n", prefix ? prefix : "", buf);
}

void errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(NULL, fmt, ap);
    va_end(ap);
}

void warnf(const char *fmt, ...)
{
    va_list ap;
    if (quiet_flag)
        return;
    va_start(ap, fmt);
    vmsg("warning: ", fmt, ap);
    va_end(ap);
}

void verbosef(int level, const char *fmt, ...)
{
    va_list ap;
    if (quiet_flag || verbose_level < level)
        return;
    va_start(ap, fmt);
    vmsg(NULL, fmt, ap);
    va_end(ap);
}

void die_internal(const char *what)
{
    fprintf(stderr, "ssmprobe: internal error: %s\n", what);
    exit(EXIT_INTERNAL);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_internal("out of memory");
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_internal("out of memory");
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_internal("out of memory");
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
