#!/usr/bin/env python3
"""fake_imds.py — a fake EC2 instance metadata service for ssmprobe's tests.

    fake_imds.py MODE PORTFILE [--bind ADDR] [--log FILE]

Listens on ADDR (default 127.0.0.1) on a free port and writes the port to
PORTFILE (atomically, once listening). Python standard library only; loopback
only. Modes:

  v2                 normal IMDSv2: PUT /latest/api/token gives a token; GETs
                     with a wrong token get 401, GETs without one are served
  v1only             the token PUT is answered 403 (IMDSv2 "not available")
  v1only405          the token PUT is answered 405
  hoplimit           the PUT's TCP connection is accepted but never answered
                     (a hop limit of 1 seen from a container); GETs without a
                     token are served
  hoplimit_required  as hoplimit, and GETs without a token get 401
  norole             iam/info and iam/security-credentials/ answer 404
  expired            the role credentials' Expiration is in the past
  credfail           the role credentials' Code is not Success
  v2required         IMDSv2 works; GETs without a token get 401

Every request is logged to FILE (or stderr) as one line
"METHOD PATH token=yes|no|bad ttl=VALUE" — never the token itself.
The fake secrets below are what the tests grep for in ssmprobe's output.
"""
import datetime
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import socket

TOKEN = "AQAEAFakeImdsTokenDoNotPrint0123456789abcdefXYZ=="
ACCESS_KEY_ID = "ASIAFAKEACCESSKEYID77"
SECRET_ACCESS_KEY = "wJalrXUtnFakeSecretAccessKeyDoNotPrint42"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjFakeSessionTokenDoNotPrint0987654321"

REGION = "eu-west-3"
INSTANCE_ID = "i-0fa4e1234567890ab"
ROLE = "SSMFakeRole"
PROFILE_ARN = "arn:aws:iam::123456789012:instance-profile/SSMFakeProfile"
MAC = "0e:11:22:33:44:55"
CIDRS = ["10.20.0.0/16", "10.21.0.0/16"]

MODES = ("v2", "v1only", "v1only405", "hoplimit", "hoplimit_required", "norole",
         "expired", "credfail", "v2required")


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Handler(BaseHTTPRequestHandler):
    server_version = "EC2ws"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # the default log goes to stderr; ours below
        pass

    def _log(self, token_state):
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "-")
        line = "%s %s token=%s ttl=%s\n" % (self.command, self.path, token_state, ttl)
        with self.server.log_lock:
            self.server.log.write(line)
            self.server.log.flush()

    def _send(self, code, body="", ctype="text/plain"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def do_PUT(self):
        mode = self.server.mode
        self._log("no")
        if self.path != "/latest/api/token":
            return self._send(404, "Not Found")
        if mode in ("hoplimit", "hoplimit_required"):
            # Accept the connection, never answer: the answer "died" after one hop.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not self.server.stopping:
                time.sleep(0.05)
            self.close_connection = True
            return
        if mode == "v1only":
            return self._send(403, "Forbidden")
        if mode == "v1only405":
            return self._send(405, "Method Not Allowed")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        if not ttl or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return self._send(400, "Bad Request")
        self._send(200, TOKEN)

    def do_GET(self):
        mode = self.server.mode
        tok = self.headers.get("X-aws-ec2-metadata-token")
        state = "no" if tok is None else ("yes" if tok == TOKEN else "bad")
        self._log(state)
        if state == "bad":
            return self._send(401, "Unauthorized")
        if state == "no" and mode in ("v2required", "hoplimit_required"):
            return self._send(401, "Unauthorized")
        p = self.path
        base = "/latest/meta-data/"
        now = datetime.datetime.now(datetime.timezone.utc)
        if p == base + "placement/region":
            return self._send(200, REGION)
        if p == base + "instance-id":
            return self._send(200, INSTANCE_ID)
        if p == base + "iam/info":
            if mode == "norole":
                return self._send(404, "Not Found")
            return self._send(200, '{\n  "Code" : "Success",\n  "LastUpdated" : "%s",\n'
                              '  "InstanceProfileArn" : "%s",\n'
                              '  "InstanceProfileId" : "AIPAFAKEPROFILEID0001"\n}'
                              % (iso(now), PROFILE_ARN))
        if p == base + "iam/security-credentials/":
            if mode == "norole":
                return self._send(404, "Not Found")
            return self._send(200, ROLE)
        if p == base + "iam/security-credentials/" + ROLE:
            if mode == "norole":
                return self._send(404, "Not Found")
            exp = now + datetime.timedelta(hours=6)
            code = "Success"
            if mode == "expired":
                exp = now - datetime.timedelta(hours=2)
            if mode == "credfail":
                code = "AssumeRoleUnauthorizedAccess"
            body = ('{\n  "Code" : "%s",\n  "LastUpdated" : "%s",\n  "Type" : "AWS-HMAC",\n'
                    '  "AccessKeyId" : "%s",\n  "SecretAccessKey" : "%s",\n'
                    '  "Token" : "%s",\n  "Expiration" : "%s"\n}'
                    % (code, iso(now), ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, iso(exp)))
            return self._send(200, body)
        if p == base + "network/interfaces/macs/":
            return self._send(200, MAC + "/")
        if p == base + "network/interfaces/macs/" + MAC + "/vpc-ipv4-cidr-blocks":
            return self._send(200, "\n".join(CIDRS))
        return self._send(404, "Not Found")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv):
    args = list(argv[1:])
    bind, logpath = "127.0.0.1", None
    while "--bind" in args:
        i = args.index("--bind")
        bind = args[i + 1]
        del args[i:i + 2]
    while "--log" in args:
        i = args.index("--log")
        logpath = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2 or args[0] not in MODES:
        sys.stderr.write("usage: fake_imds.py MODE PORTFILE [--bind ADDR] [--log FILE]\n"
                         "modes: %s\n" % " ".join(MODES))
        return 2
    if bind not in ("127.0.0.1", "::1"):
        sys.stderr.write("fake_imds.py: loopback addresses only\n")
        return 2
    mode, portfile = args
    cls = Server
    if ":" in bind:
        class Server6(Server):
            address_family = socket.AF_INET6
        cls = Server6
    srv = cls((bind, 0), Handler)
    srv.mode = mode
    srv.stopping = False
    srv.log_lock = threading.Lock()
    srv.log = open(logpath, "a") if logpath else sys.stderr
    port = srv.server_address[1]
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, portfile)
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        srv.stopping = True
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
