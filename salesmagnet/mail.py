"""Outgoing mail: SMTP when configured, otherwise logged (development only)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from salesmagnet.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    file_name: str
    content: bytes
    content_type: str  # e.g. "text/csv"


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(
        self, to: str | Sequence[str], subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> bool:
        """Send one plain-text mail (to one address or several); False (logged) when delivery
        failed."""
        to = to if isinstance(to, str) else ", ".join(to)
        s = self._settings
        if not s.smtp_host:
            if s.production:
                log.error("mail to %s not sent: SMTP_HOST is not configured", to)
                return False
            log.warning("SMTP not configured; development mail to %s: %s\n%s", to, subject, body)
            return True
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.mail_from, to, subject
        message.set_content(body)
        for item in attachments:
            main, _, sub = item.content_type.partition(";")[0].partition("/")
            message.add_attachment(item.content, maintype=main, subtype=sub, filename=item.file_name)
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_user,
                password=s.smtp_password,
                start_tls=s.smtp_starttls,
                timeout=10,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.error("mail to %s failed: %s", to, exc)
            return False
        return True
