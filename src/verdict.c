/* verdict.c — from facts to verdicts: per connection, per target, and the
 * findings that span targets. Reads only the result model. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "msgs.h"
#include "verdict.h"

static const char *const hints[FC_COUNT] = {
    [FC_DNS_NXDOMAIN] = "the name does not exist for this resolver: check the region and endpoint"
        " name; with VPC endpoints, check that private DNS is enabled and the Route 53 private"
        " hosted zone or resolver rule covers this name",
    [FC_DNS_NODATA] = "the name exists but has no address of the asked family: check -4/-6, the"
        " private hosted zone records, or a resolver rule that answers only part of the name",
    [FC_DNS_SERVFAIL] = "the resolver failed to resolve the name: check its forwarders and"
        " resolver rules (Route 53 Resolver outbound endpoints, on-premises forwarders)",
    [FC_DNS_REFUSED] = "the resolver refuses to answer this client: check its ACL (allow-query),"
        " or use the VPC resolver (169.254.169.253 or the VPC CIDR base +2)",
    [FC_DNS_TIMEOUT] = "the resolver did not answer: check that UDP/TCP 53 to it is allowed"
        " (security group, NACL, host firewall) and that it is running; see /etc/resolv.conf",
    [FC_DNS_NO_SERVER] = "no resolver could be reached: check /etc/resolv.conf (or --dns-server),"
        " and that the resolver's address is routable from here",
    [FC_TCP_TIMEOUT] = "outbound 443 is silently dropped: security group egress, subnet NACL"
        " (allow 443 out and 1024-65535 back in), route table (internet/NAT gateway or VPC"
        " endpoint), or the VPC endpoint's security group inbound 443",
    [FC_TCP_REFUSED] = "something answered with a reset: nothing listens on that port at this"
        " address, or a firewall rejects it (REJECT with tcp-reset); check the address is the"
        " real endpoint and --port",
    [FC_NET_UNREACHABLE] = "no route to that network: check the route table (0.0.0.0/0 to an"
        " internet or NAT gateway, or routes to the VPC endpoint subnets) and the host's own"
        " routes (ip route)",
    [FC_HOST_UNREACHABLE] = "the last router cannot reach the host: check the endpoint's subnet,"
        " that the VPC endpoint's network interfaces exist, and the route tables on the path",
    [FC_ADMIN_PROHIBITED] = "a firewall rejects it: host firewall (iptables/nftables/firewalld)"
        " or a network appliance at the ICMP source; allow TCP 443 to the endpoint",
    [FC_PROXY_UNREACHABLE] = "the proxy cannot be reached: check the proxy URL (https_proxy /"
        " http_proxy for the agent), its port, and that the security group allows it",
    [FC_PROXY_TIMEOUT] = "the proxy did not answer in time: check the proxy's health and the"
        " path to it; a proxy that cannot reach AWS may also hang on CONNECT",
    [FC_PROXY_AUTH_REQUIRED] = "the proxy wants credentials: put them in the agent's proxy URL"
        " (http://user:pass@host:port) or allow the instance without authentication",
    [FC_PROXY_DENIED] = "the proxy's policy forbids this destination: allow CONNECT to"
        " *.amazonaws.com:443 (ssm, ssmmessages, ec2messages) in the proxy's ACL, or add the"
        " endpoint to no_proxy if it is reachable directly",
    [FC_PROXY_UPSTREAM_FAILED] = "the proxy could not reach the endpoint: check the proxy's own"
        " DNS and egress to AWS, or add the endpoint (e.g. a VPC endpoint) to no_proxy",
    [FC_PROXY_BAD_RESPONSE] = "the proxy did not speak HTTP CONNECT: check that the URL points at"
        " an HTTP proxy (not an https:// scheme for a plain proxy, not a SOCKS proxy)",
    [FC_TLS_TIMEOUT] = "TCP works but the TLS handshake does not finish: a firewall or IPS may"
        " drop the ClientHello; check SNI/TLS inspection rules and the path MTU",
    [FC_TLS_RESET] = "the handshake was cut off: a firewall or proxy rejects TLS to this name"
        " (SNI filtering) or the server is not a TLS endpoint on this port",
    [FC_TLS_UNTRUSTED] = "the certificate chain is not trusted: if the issuer is not Amazon, TLS"
        " is intercepted (add the inspection CA to the system store and exempt the SSM endpoints"
        " from inspection); otherwise install Amazon Root CA 1 / Starfield roots (ca-certificates)",
    [FC_TLS_HOSTNAME_MISMATCH] = "the certificate is for another name: the address answers for"
        " a different service (wrong DNS override, /etc/hosts entry or VPC endpoint without"
        " private DNS) or TLS is intercepted",
    [FC_TLS_EXPIRED] = "the certificate is outside its validity: check the system clock"
        " (chrony/timesyncd, Amazon Time Sync 169.254.169.123) or an inspecting proxy's"
        " certificate",
    [FC_TLS_PROTOCOL] = "TLS failed for a protocol reason: check for TLS inspection, an old TLS"
        " version or cipher policy (AWS requires TLS 1.2 or later)",
    [FC_HTTP_TIMEOUT] = "TLS works but no HTTP answer came: a proxy or IPS holding the request,"
        " or a captive/inspection device; check its logs",
    [FC_HTTP_NOT_AWS] = "something other than AWS answered (a captive portal, a proxy's error"
        " page or another server): check the DNS answer, proxy settings and TLS interception",
    [FC_HTTP_BAD_RESPONSE] = "the answer was not valid HTTP: a middlebox is corrupting or cutting"
        " the connection; check proxies and IPS on the path",
    [FC_INTERRUPTED] = "the run was interrupted before this target finished; run again",
};

const char *verdict_hint(enum fail_code code)
{
    return hints[code] ? hints[code] : "";
}

int verdict_version_cmp(const char *a, const char *b)
{
    for (int i = 0; i < 4; i++) {
        long x = a ? strtol(a, (char **)&a, 10) : 0;
        long y = b ? strtol(b, (char **)&b, 10) : 0;
        if (x != y)
            return x < y ? -1 : 1;
        if (a && *a == '.')
            a++;
        if (b && *b == '.')
            b++;
    }
    return 0;
}

static enum status worst(enum status a, enum status b)
{
    return a > b ? a : b;
}

static void dns_failure(struct target_result *t)
{
    const struct dns_result *d = &t->dns;
    double ms = ns_to_ms(d->start, d->end);
    char servers[160] = "";
    for (int i = 0; i < d->nfaults; i++) {
        size_t n = strlen(servers);
        snprintf(servers + n, sizeof servers - n, "%s%s %s", i ? ", " : "", d->faults[i].server,
                 d->faults[i].what);
    }
    switch (d->code) {
    case FC_DNS_NXDOMAIN:
    case FC_DNS_NODATA:
        failure_set(&t->failure, d->code, verdict_hint(d->code), "%s: %s from %s after %.1f ms",
                    t->host, d->code == FC_DNS_NXDOMAIN ? "NXDOMAIN (no such name)"
                                                        : "no address records (NODATA)",
                    d->server[0] ? d->server : dns_source_name(d->source), ms);
        break;
    case FC_INTERRUPTED:
        failure_set(&t->failure, FC_INTERRUPTED, verdict_hint(FC_INTERRUPTED),
                    "%s: interrupted while resolving", t->host);
        t->failure.phase = PHASE_DNS;
        break;
    default:
        failure_set(&t->failure, d->code, verdict_hint(d->code), "%s: %s after %.1f ms (%s)",
                    t->host, d->code == FC_DNS_TIMEOUT ? "no answer from the resolvers"
                    : d->code == FC_DNS_SERVFAIL ? "SERVFAIL" : d->code == FC_DNS_REFUSED
                    ? "REFUSED" : "no resolver reachable", ms, servers[0] ? servers : "no resolver");
        break;
    }
    snprintf(t->dns.error, sizeof t->dns.error, "%s", t->failure.message);
}

static void conn_verdict(struct conn_result *c)
{
    if (c->failure.code != FC_NONE) {
        c->status = STATUS_FAIL;
        snprintf(c->failure.hint, sizeof c->failure.hint, "%s", verdict_hint(c->failure.code));
        if (c->failure.code == FC_ADMIN_PROHIBITED && c->icmp_from[0]) {
            size_t n = strlen(c->failure.hint);
            snprintf(c->failure.hint + n, sizeof c->failure.hint - n, " (ICMP from %s)", c->icmp_from);
        }
        if (c->failure.code == FC_TLS_UNTRUSTED && c->tls.intercepted) {
            snprintf(c->failure.hint, sizeof c->failure.hint,
                     "TLS is intercepted: the chain leads to %s, not to Amazon; exempt the SSM"
                     " endpoints from inspection, or add that CA to the system store (it will still"
                     " break session-manager-plugin and newer agents)",
                     c->tls.root ? c->tls.root : "an unknown root");
        }
        return;
    }
    if (c->status == STATUS_PENDING)
        c->status = STATUS_OK;
    if (c->tls.intercepted)
        c->status = worst(c->status, STATUS_WARN);
    if (c->large_hello.status == STATUS_FAIL)
        c->status = worst(c->status, STATUS_WARN);
}

static bool is_session_service(enum service s)
{
    return s == SVC_SSM || s == SVC_SSMMESSAGES || s == SVC_EC2MESSAGES;
}

static void classify_endpoint(struct target_result *t)
{
    if (t->endpoint_kind == EK_CUSTOM || t->endpoint_kind == EK_PROXY)
        return;
    if (!t->dns.performed || t->dns.naddrs == 0) {
        t->endpoint_kind = EK_UNKNOWN;
        return;
    }
    bool vpce_name = strstr(t->host, ".vpce.") != NULL;
    for (int i = 0; i < t->dns.ncname; i++)
        if (strstr(t->dns.cname[i], ".vpce."))
            vpce_name = true;
    bool priv = false;
    for (int i = 0; i < t->dns.naddrs; i++)
        if (t->dns.addrs[i].scope == SCOPE_PRIVATE)
            priv = true;
    t->endpoint_kind = (priv || vpce_name) ? EK_VPC_ENDPOINT : EK_PUBLIC;
}

/* Findings ---------------------------------------------------------------- */

static void finding_text(struct finding *f, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finding_text(struct finding *f, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    snprintf(f->hint, sizeof f->hint, "%s", hint);
}

static void find_vpce_partial(struct report *r)
{
    for (int ri = 0; ri < r->nregions; ri++) {
        char priv[128] = "", pub[128] = "";
        struct target_result *members[SVC_COUNT];
        int nm = 0;
        for (int i = 0; i < r->ntargets; i++) {
            struct target_result *t = &r->targets[i];
            if (strcmp(t->region, r->regions[ri]) != 0 || !is_session_service(t->service) ||
                !t->dns.performed || t->dns.naddrs == 0 || t->endpoint_kind == EK_CUSTOM)
                continue;
            char *list = t->endpoint_kind == EK_VPC_ENDPOINT ? priv : pub;
            size_t n = strlen(list);
            snprintf(list + n, 128 - n, "%s%s", n ? ", " : "", service_name(t->service));
            members[nm++] = t;
        }
        if (!priv[0] || !pub[0])
            continue;
        struct finding *f = report_add_finding(r, STATUS_WARN, "vpce_partial");
        char hint[HINT_LEN];
        snprintf(hint, sizeof hint, "create interface VPC endpoints with private DNS for %s in %s"
                 " (com.amazonaws.%s.<service>), or give the subnet a route to the internet"
                 " (NAT gateway): Session Manager needs ssm, ssmmessages and ec2messages",
                 pub, r->regions[ri], r->regions[ri]);
        finding_text(f, hint, "%s: %s resolve to private (VPC endpoint) addresses but %s resolve"
                     " to public ones; a private subnet reaches only the private ones",
                     r->regions[ri], priv, pub);
        for (int i = 0; i < nm; i++)
            finding_add_target(f, members[i]->host);
    }
}

/* Name the flag or agent-config key that chose each custom endpoint: the
 * JSON schema has no key for it, so the report says it as information. */
static void find_custom_endpoints(struct report *r)
{
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        if (t->endpoint_kind != EK_CUSTOM && !t->endpoint_source[0])
            continue;
        struct finding *f = report_add_finding(r, STATUS_INFO, "endpoint_override");
        finding_text(f, "this is the endpoint the agent would use; remove the setting to use"
                     " the standard name", "%s for %s in %s comes from %s", t->host,
                     service_name(t->service), t->region, t->endpoint_source);
        finding_add_target(f, t->host);
    }
}

/* With the VPC's CIDRs from IMDS, a private answer is either an interface
 * endpoint in this VPC or one reached through peering/TGW/resolver rules. */
static void find_vpce_placement(struct report *r, const struct verdict_context *vc)
{
    if (!vc || vc->nvpc_cidrs == 0)
        return;
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        if (t->endpoint_kind != EK_VPC_ENDPOINT)
            continue;
        for (int k = 0; k < t->dns.naddrs; k++) {
            const struct dns_address *a = &t->dns.addrs[k];
            if (a->family != 4 || a->scope != SCOPE_PRIVATE)
                continue;
            bool inside = false;
            const char *which = vc->vpc_cidrs[0];
            char all[200] = "";
            for (int c = 0; c < vc->nvpc_cidrs; c++) {
                size_t n = strlen(all);
                snprintf(all + n, sizeof all - n, "%s%s", c ? ", " : "", vc->vpc_cidrs[c]);
                if (!inside && addr_in_cidr4(a->address, vc->vpc_cidrs[c])) {
                    inside = true;
                    which = vc->vpc_cidrs[c];
                }
            }
            struct finding *f = report_add_finding(r, STATUS_INFO,
                                                   inside ? "vpce_in_vpc" : "vpce_outside_vpc");
            if (inside) {
                finding_text(f, "nothing to change; its security group must allow 443 in from"
                             " this subnet", "%s resolves to %s, inside this VPC (%s): an"
                             " interface endpoint of this VPC", t->host, a->address, which);
            } else {
                finding_text(f, "the path crosses VPCs: check the peering or Transit Gateway"
                             " routes both ways, the endpoint's security group for this VPC's"
                             " CIDR, and the Route 53 resolver rule or shared private zone",
                             "%s resolves to %s, outside this VPC's CIDRs (%s): an endpoint"
                             " reached through peering, Transit Gateway or a resolver rule",
                             t->host, a->address, all);
            }
            finding_add_target(f, t->host);
            break;
        }
    }
}

/* A private address that presents a certificate for another name: a VPC
 * endpoint reached without private DNS (its vpce- name in a custom zone or
 * /etc/hosts), or a private address that is not the endpoint at all. */
static void find_vpce_cert_mismatch(struct report *r)
{
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        for (int k = 0; k < t->nconns; k++) {
            const struct conn_result *c = &t->conns[k];
            if (c->scope != SCOPE_PRIVATE || c->failure.code != FC_TLS_HOSTNAME_MISMATCH)
                continue;
            struct finding *f = report_add_finding(r, STATUS_FAIL, "vpce_cert_mismatch");
            finding_text(f, "enable private DNS on the interface endpoint (and use the standard"
                         " name), or remove the DNS override / /etc/hosts line that sends this name"
                         " to a private address that is not its endpoint",
                         "%s resolves to the private address %s, which presents a certificate"
                         " for %s", t->host, c->address, c->tls.subject ? c->tls.subject : "another name");
            finding_add_target(f, t->host);
            break;
        }
    }
}

/* Session logging to S3 / CloudWatch Logs in an otherwise private setup
 * needs the s3 gateway endpoint and the logs interface endpoint too. */
static void find_logging_endpoints(struct report *r)
{
    for (int ri = 0; ri < r->nregions; ri++) {
        bool private_core = false, public_core = false;
        const struct target_result *s3 = NULL, *logs = NULL;
        for (int i = 0; i < r->ntargets; i++) {
            const struct target_result *t = &r->targets[i];
            if (strcmp(t->region, r->regions[ri]) != 0)
                continue;
            if (is_session_service(t->service)) {
                private_core |= t->endpoint_kind == EK_VPC_ENDPOINT;
                public_core |= t->endpoint_kind == EK_PUBLIC;
            }
            if (t->service == SVC_S3)
                s3 = t;
            if (t->service == SVC_LOGS)
                logs = t;
        }
        if (!private_core || public_core)
            continue;
        const struct target_result *cand[2] = {s3, logs};
        for (int k = 0; k < 2; k++) {
            const struct target_result *t = cand[k];
            if (!t || (t->endpoint_kind == EK_VPC_ENDPOINT && t->status != STATUS_FAIL))
                continue;
            bool is_s3 = t->service == SVC_S3;
            /* An S3 gateway endpoint keeps public addresses: only a failure
             * proves it missing; logs must be private or it is missing. */
            if (is_s3 && t->status != STATUS_FAIL)
                continue;
            struct finding *f = report_add_finding(r, STATUS_WARN, "session_logging_endpoint");
            finding_text(f, is_s3 ? "add an S3 gateway endpoint (com.amazonaws.REGION.s3) to the"
                         " subnet's route table, allowing the AWS-managed and log buckets"
                         : "add a logs interface endpoint (com.amazonaws.REGION.logs) with private"
                         " DNS; without it sessions with CloudWatch logging show a blank screen",
                         "%s: ssm, ssmmessages and ec2messages use VPC endpoints but %s %s: session"
                         " logging to %s will fail", r->regions[ri], t->host,
                         t->status == STATUS_FAIL ? "is not reachable" : "resolves to public addresses",
                         is_s3 ? "S3" : "CloudWatch Logs");
            finding_add_target(f, t->host);
        }
    }
}

static void find_tls_intercepted(struct report *r)
{
    struct finding *f = NULL;
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        for (int k = 0; k < t->nconns; k++) {
            struct conn_result *c = &t->conns[k];
            if (!c->tls.intercepted || !c->tls.issuer)
                continue;
            bool trusted = c->tls.verify_code == 0;
            if (!f) {
                f = report_add_finding(r, trusted ? STATUS_WARN : STATUS_FAIL, "tls_intercepted");
                finding_text(f, "exempt *.amazonaws.com (ssm, ssmmessages, ec2messages) from TLS"
                             " inspection: the agent's WebSocket to ssmmessages and"
                             " session-manager-plugin break under inspection",
                             "TLS to %s is intercepted: the chain's root is %s (issuer %s), not"
                             " Amazon or Starfield%s", t->host, c->tls.root ? c->tls.root : "?",
                             c->tls.issuer, trusted ? "; it is trusted by the store in use" : "");
            }
            if (!trusted)
                f->severity = STATUS_FAIL;
            finding_add_target(f, t->host);
        }
    }
}

static void find_clock_skew(struct report *r, const struct verdict_context *vc)
{
    double skew = 0;
    bool have = false;
    struct finding *f = NULL;
    for (int i = 0; i < r->ntargets; i++)
        for (int k = 0; k < r->targets[i].nconns; k++) {
            const struct http_result *h = &r->targets[i].conns[k].http;
            if (h->have_skew && (!have || fabs(h->clock_skew_s) > fabs(skew))) {
                skew = h->clock_skew_s;
                have = true;
            }
        }
    if (!have || fabs(skew) <= 60)
        return;
    f = report_add_finding(r, fabs(skew) > 300 ? STATUS_FAIL : STATUS_WARN, "clock_skew");
    finding_text(f, "synchronise the clock: chrony or systemd-timesyncd with the Amazon Time Sync"
                 " Service (169.254.169.123 or fd00:ec2::123); SigV4 rejects requests more than"
                 " 5 minutes off",
                 "the local clock is %.0f s %s AWS's (from the HTTP Date header)%s%s%s",
                 fabs(skew), skew > 0 ? "ahead of" : "behind",
                 fabs(skew) > 300 ? "; signed requests will be rejected" : "",
                 vc && vc->time_sync ? "; " : "", vc && vc->time_sync ? vc->time_sync : "");
    for (int i = 0; i < r->ntargets; i++)
        for (int k = 0; k < r->targets[i].nconns; k++)
            if (r->targets[i].conns[k].http.have_skew)
                finding_add_target(f, r->targets[i].host);
}

/* Whether fault k is of a resolver other than the one(s) that answered:
 * only then did "another one answer". */
static bool fault_is_other(const struct dns_result *d, int k)
{
    const char *srv = d->faults[k].server;
    return strcmp(srv, d->server) != 0 && strcmp(srv, d->q[0].server) != 0 &&
           strcmp(srv, d->q[1].server) != 0;
}

static void find_resolver_failed(struct report *r)
{
    struct finding *f = NULL;
    char names[200] = "";
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        if (t->dns.code != FC_NONE || t->dns.nfaults == 0)
            continue;
        bool other = false;
        for (int k = 0; k < t->dns.nfaults; k++)
            other |= fault_is_other(&t->dns, k);
        if (!other)
            continue;
        if (!f)
            f = report_add_finding(r, STATUS_WARN, "dns_resolver_failed");
        for (int k = 0; k < t->dns.nfaults; k++) {
            char item[100];
            if (!fault_is_other(&t->dns, k))
                continue;
            snprintf(item, sizeof item, "%s (%s)", t->dns.faults[k].server, t->dns.faults[k].what);
            if (!strstr(names, item)) {
                size_t n = strlen(names);
                snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", item);
            }
        }
        finding_add_target(f, t->host);
    }
    if (f)
        finding_text(f, "fix or remove the failing resolver from /etc/resolv.conf (or the DHCP"
                     " options set): every lookup waits for it before trying the next one",
                     "resolver %s failed while another one answered", names);
}

static void find_ipv6_broken(struct report *r)
{
    struct finding *f = NULL;
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        bool v4ok = false, v6 = false, v6ok = false;
        for (int k = 0; k < t->nconns; k++) {
            const struct conn_result *c = &t->conns[k];
            if (c->family == 4 && c->t_tcp)
                v4ok = true;
            if (c->family == 6) {
                v6 = true;
                if (c->t_tcp)
                    v6ok = true;
            }
        }
        if (!(v4ok && v6 && !v6ok))
            continue;
        if (!f) {
            f = report_add_finding(r, STATUS_WARN, "ipv6_broken");
            finding_text(f, "check IPv6 routes (::/0 to an internet gateway or egress-only"
                         " gateway), security group and NACL IPv6 rules; or stop publishing AAAA"
                         " for endpoints this subnet cannot reach",
                         "AAAA answers exist but IPv6 connections fail while IPv4 works");
        }
        finding_add_target(f, t->host);
    }
}

static void find_large_hello(struct report *r)
{
    struct finding *f = NULL;
    for (int i = 0; i < r->ntargets; i++)
        for (int k = 0; k < r->targets[i].nconns; k++) {
            const struct conn_result *c = &r->targets[i].conns[k];
            if (c->large_hello.status != STATUS_FAIL)
                continue;
            if (!f) {
                f = report_add_finding(r, STATUS_WARN, "large_hello_blocked");
                finding_text(f, "a middlebox drops ClientHellos larger than one packet: fix the"
                             " path MTU / MSS clamping or the firewall's TLS inspection; agents"
                             " with post-quantum key exchange send such hellos",
                             "a %d-byte ClientHello to %s failed (%s) although the normal"
                             " handshake works", c->large_hello.bytes, c->address,
                             c->large_hello.error);
            }
            finding_add_target(f, r->targets[i].host);
        }
}

static void find_ec2messages_optional(struct report *r, const struct verdict_context *vc)
{
    bool new_agent = vc && vc->agent_version && verdict_version_cmp(vc->agent_version, "3.3.40.0") >= 0;
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        if (t->service != SVC_EC2MESSAGES || t->status != STATUS_FAIL)
            continue;
        bool mgs_ok = false;
        for (int k = 0; k < r->ntargets; k++)
            if (r->targets[k].service == SVC_SSMMESSAGES &&
                strcmp(r->targets[k].region, t->region) == 0 &&
                (r->targets[k].status == STATUS_OK || r->targets[k].status == STATUS_WARN))
                mgs_ok = true;
        if (!mgs_ok)
            continue;
        struct finding *f = report_add_finding(r, new_agent ? STATUS_WARN : STATUS_FAIL,
                                               "ec2messages_optional");
        if (new_agent) {
            t->status = STATUS_WARN;
            finding_text(f, "nothing to do for Session Manager; add ec2messages (endpoint or"
                         " egress) if older agents or Run Command on older agents must work",
                         "%s fails but ssmmessages works and the agent (%s) is 3.3.40.0 or newer:"
                         " it falls back to ssmmessages", t->host, vc->agent_version);
        } else {
            finding_text(f, "make ec2messages reachable, or update the agent to 3.3.40.0 or"
                         " newer, which no longer needs it when ssmmessages works",
                         "%s fails while ssmmessages works; the agent (%s) needs ec2messages",
                         t->host, vc && vc->agent_version ? vc->agent_version : "version unknown");
        }
        finding_add_target(f, t->host);
    }
}

void verdict_apply(struct report *r, const struct options *o, const struct verdict_context *vc)
{
    (void)o;
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        classify_endpoint(t);
        if (t->dns.performed && t->dns.code != FC_NONE) {
            dns_failure(t);
            t->status = STATUS_FAIL;
            if (t->variant_name && (t->dns.code == FC_DNS_NXDOMAIN || t->dns.code == FC_DNS_NODATA)) {
                /* A FIPS/dual-stack name that does not exist is not offered,
                 * not a network fault. */
                t->status = STATUS_INFO;
                t->failure.code = FC_NONE; /* not a failure: dns.error keeps the facts */
                struct finding *f = report_add_finding(r, STATUS_INFO, "endpoint_not_offered");
                finding_text(f, "use the standard endpoint names for this service and region, or"
                             " set the endpoint the agent should use explicitly",
                             "%s does not exist (%s): %s does not offer this endpoint variant in"
                             " %s%s", t->host, t->dns.code == FC_DNS_NXDOMAIN ? "NXDOMAIN" : "NODATA",
                             service_name(t->service), t->region,
                             t->variant_published ? " (although the published data lists it)" : "");
                finding_add_target(f, t->host);
            }
            continue;
        }
        int nfail = 0, first_fail = -1;
        enum status st = STATUS_OK;
        for (int k = 0; k < t->nconns; k++) {
            conn_verdict(&t->conns[k]);
            if (t->conns[k].status == STATUS_FAIL) {
                nfail++;
                if (first_fail < 0)
                    first_fail = k;
            } else {
                st = worst(st, t->conns[k].status);
            }
        }
        if (t->nconns == 0) {
            t->status = STATUS_FAIL;
            failure_set(&t->failure, FC_DNS_NODATA, verdict_hint(FC_DNS_NODATA),
                        "%s: no address to connect to", t->host);
        } else if (nfail == t->nconns) {
            t->status = STATUS_FAIL;
            t->failure = t->conns[first_fail].failure;
        } else {
            /* Some addresses work: the agent's dialer falls back to them. */
            t->status = nfail ? STATUS_WARN : st;
        }
    }
    find_custom_endpoints(r);
    find_vpce_partial(r);
    find_vpce_placement(r, vc);
    find_vpce_cert_mismatch(r);
    find_logging_endpoints(r);
    find_tls_intercepted(r);
    find_clock_skew(r, vc);
    find_resolver_failed(r);
    find_ipv6_broken(r);
    find_large_hello(r);
    find_ec2messages_optional(r, vc);

    enum status overall = STATUS_OK;
    for (int i = 0; i < r->ntargets; i++)
        overall = worst(overall, r->targets[i].status);
    for (int i = 0; i < r->nfindings; i++)
        if (r->findings[i].severity != STATUS_INFO)
            overall = worst(overall, r->findings[i].severity);
    if (r->interrupted)
        overall = STATUS_FAIL;
    r->status = overall;
}
