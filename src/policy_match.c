/* policy_match.c — IAM wildcard matching for Action and Resource values.
 *
 * IAM patterns know two wildcards: `*` (any run of characters, also empty)
 * and `?` (exactly one character). Action names compare case-insensitively
 * (service prefix and action name alike); resource ARNs compare exactly.
 *
 * Two variations serve resources that stand for a set of ARNs:
 *   PM_TAIL_ANY  does the pattern match subject+T for EVERY string T?
 *                (s3:PutObject on every object under arn:aws:s3:::bucket/)
 *                Only if the pattern is X*??…? (k question marks after its
 *                last star), the subject is at least k long, and X* matches
 *                the subject without its last k characters: a long tail
 *                must end in what the ?s take, and X* then absorbs the rest.
 *   PM_PREFIX    does the pattern match subject+T for SOME string T?
 *                (an Allow on the bucket's logs/ prefix covers part of it)
 *
 * The classic one-backtrack-point algorithm: linear for the patterns IAM
 * sees, O(len(pat) * len(subj)) at worst, no recursion. */
#include <stdint.h>
#include <string.h>

#include "policy.h"

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool glob_core(const char *pat, size_t plen, const char *subj, size_t slen, bool nocase,
                      bool prefix)
{
    size_t p = 0, s = 0;
    size_t star_p = SIZE_MAX, star_s = 0;

    while (s < slen) {
        int c = (unsigned char)subj[s];
        int pc = p < plen ? (unsigned char)pat[p] : '\0';

        if (pc == '*') {
            star_p = ++p;          /* the star matches nothing so far */
            star_s = s;
            continue;
        }
        if (p < plen && (pc == '?' || pc == c || (nocase && lower(pc) == lower(c)))) {
            p++;
            s++;
            continue;
        }
        if (star_p != SIZE_MAX) {  /* let the last star take one more character */
            p = star_p;
            s = ++star_s;
            continue;
        }
        return false;
    }
    if (prefix)
        return true;               /* the rest of the pattern matches some tail */
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

bool policy_glob(const char *pat, const char *subj, unsigned flags)
{
    size_t plen = strlen(pat), slen = strlen(subj), last, k;
    bool nocase = (flags & PM_NOCASE) != 0;

    if (!(flags & PM_TAIL_ANY))
        return glob_core(pat, plen, subj, slen, nocase, (flags & PM_PREFIX) != 0);
    last = plen;
    while (last > 0 && pat[last - 1] != '*')
        last--;
    if (last == 0)
        return false;              /* no star: only strings of bounded length */
    for (size_t i = last; i < plen; i++)
        if (pat[i] != '?')
            return false;          /* a literal after the last star: some tail ends otherwise */
    k = plen - last;
    return slen >= k && glob_core(pat, last, subj, slen - k, nocase, false);
}

bool policy_glob_all(const char *pat)
{
    if (*pat == '\0')
        return false;
    for (; *pat; pat++)
        if (*pat != '*')
            return false;
    return true;
}
