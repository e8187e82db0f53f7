"""A real local SMTP server (aiosmtpd) that keeps what it receives (OTP flows, scheduled
reports), and refuses addresses at bounce.example."""

from __future__ import annotations

import asyncio
import re
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        """Addresses at bounce.example do not exist (for failed deliveries)."""
        if address.endswith("@bounce.example"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    async def code_for(self, address: str, after: int = 0, wait: float = 5.0) -> str:
        """The 6-digit code of the newest mail to `address` beyond the first `after` of them."""
        deadline = asyncio.get_running_loop().time() + wait
        while asyncio.get_running_loop().time() < deadline:
            mails = self.to(address)
            if len(mails) > after:
                body = mails[-1].get_payload(decode=True).decode()
                match = re.search(r"\b(\d{6})\b", body)
                assert match, body
                return match.group(1)
            await asyncio.sleep(0.02)
        raise AssertionError(f"no mail to {address} within {wait}s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_smtp() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
