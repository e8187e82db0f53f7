"""Outgoing mail: SMTP when configured, otherwise logged (development only)."""

from __future__ import annotations

import logging
from email.message import EmailMessage

import aiosmtplib

from salesmagnet.config import Settings

log = logging.getLogger(__name__)


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(self, to: str, subject: str, body: str) -> bool:
        """Send one plain-text mail; False (logged) when delivery failed."""
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
