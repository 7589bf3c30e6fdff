"""A real SMTP server on loopback for the email tests (aiosmtpd).

Usage: smtp_sink.py PORT DIR [--reject-rcpt SUBSTRING] [--tempfail-rcpt SUBSTRING]

Accepts every message and writes it to DIR as <n>.eml, except that a recipient
containing --reject-rcpt gets "550 5.1.1 no such user" and one containing
--tempfail-rcpt gets "451 4.3.0 try again later". Prints "ready" once listening.
"""

import argparse
import asyncio
import itertools
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, reject, tempfail):
        self.directory = directory
        self.reject = reject
        self.tempfail = tempfail
        self.counter = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 no such user"
        if self.tempfail and self.tempfail in address:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.directory, f"{os.getpid()}-{next(self.counter)}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".tmp", name)
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("directory")
    parser.add_argument("--reject-rcpt", default="")
    parser.add_argument("--tempfail-rcpt", default="")
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    controller = Controller(
        Sink(args.directory, args.reject_rcpt, args.tempfail_rcpt),
        hostname="127.0.0.1",
        port=args.port,
    )
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our stdin or kills us
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
