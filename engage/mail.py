"""Sending plain-text email: through the configured SMTP server, or in development to a local
sink (printed to the console, and with MAIL_BACKEND=file appended to MAIL_SINK_FILE)."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from engage.schema import utcnow


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def send_email(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        # A person is waiting on the page: give up sooner than the outbox does.
        deliver(message, config, timeout=10)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(type(error).__name__) from None


def deliver(message: EmailMessage, config, timeout: float = 30) -> None:
    """Hand one message to the configured backend; raises OSError or SMTPException."""
    backend = config.get("MAIL_BACKEND") or "smtp"
    if backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=timeout) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
        return
    text = sink_text(message)
    sys.stderr.write(text)
    sys.stderr.flush()
    if backend == "file":
        path = Path(config["MAIL_SINK_FILE"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as sink:
            sink.write(text)


def sink_text(message: EmailMessage) -> str:
    """The message as a person reads it: headers, then the body as written (not encoded)."""
    # The body is shown decoded, so the MIME headers describing its encoding are left out.
    headers = "".join(
        f"{name}: {value}\n"
        for name, value in message.items()
        if not name.lower().startswith(("content-", "mime-"))
    )
    body = message.get_content().rstrip("\n")
    stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        f"===== Not sent (development mail sink), {stamp} =====\n{headers}\n{body}\n"
        "===== End of message =====\n\n"
    )
