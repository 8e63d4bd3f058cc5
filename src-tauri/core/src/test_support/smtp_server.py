"""A real SMTP server for RiskDesk's tests (aiosmtpd), on 127.0.0.1.

Arguments: OUT_DIR SECURITY(none|starttls|tls) CERT KEY USER PASSWORD REFUSE DROP_ONCE
(REFUSE and DROP_ONCE are comma-separated addresses, possibly empty; USER empty: no login).
Every message taken is written to OUT_DIR as NNNN.eml (the bytes received) and NNNN.json
(envelope). A recipient in REFUSE is refused with 550; the first message to a recipient in
DROP_ONCE is not taken: the connection is cut when its data arrives. Prints "READY <port>".
"""
import asyncio
import json
import os
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

out, security, cert, key, user, password, refuse, drop_once = sys.argv[1:9]
refuse = {a.lower() for a in refuse.split(",") if a}
drop_once = {a.lower() for a in drop_once.split(",") if a}
lock = threading.Lock()


class Handler:
    def __init__(self):
        self.count = 0
        self.dropped = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        for r in envelope.rcpt_tos:
            if r.lower() in drop_once and r.lower() not in self.dropped:
                self.dropped.add(r.lower())
                server.transport.abort()
                return "421 4.4.2 connection dropped"
        with lock:
            self.count += 1
            n = self.count
        base = os.path.join(out, "%04d" % n)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": server.transport.get_extra_info("ssl_object") is not None,
                       "authenticated": bool(session.authenticated)}, f)
        return "250 2.0.0 OK queued as RD%04d" % n


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
kwargs = {}
if user:
    kwargs.update(authenticator=authenticator, auth_require_tls=(security != "none"))
if security in ("starttls", "tls"):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    if security == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    else:
        kwargs.update(ssl_context=context)
controller = Controller(Handler(), hostname="127.0.0.1", port=port, ready_timeout=10, **kwargs)
controller.start()
print("READY %d" % port, flush=True)
sys.stdin.read()
controller.stop()
