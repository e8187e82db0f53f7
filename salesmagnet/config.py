"""One typed settings object read from the environment (CONTRACT.md §1)."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
DATABASE_SCHEMES = ("sqlite", "mysql")


class ConfigError(Exception):
    """The environment cannot make a working configuration."""


def parse_duration(text: str) -> timedelta:
    """'72h', '30d', '15m', '3600' → timedelta (the jsonwebtoken spellings the document uses)."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) <= 0:
        raise ConfigError(f"not a duration: {text!r} (use e.g. 15m, 72h, 30d)")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = "sqlite://salesmagnet.db"
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    jwt_secret: str = ""
    jwt_expires_in: str = "72h"
    jwt_refresh_expires_in: str = "30d"
    fb_app_secret: str | None = None
    fb_verify_token: str | None = None
    fb_page_access_token: str | None = None
    fb_graph_url: str = "https://graph.facebook.com/v26.0"
    fb_retry_seconds: float = 5.0  # first Graph retry; doubles each try, at most 60 s
    sla_hours: int = 24
    monitor_interval: int = 1  # seconds between scans for SLA breaches and overdue follow-ups
    monitor_batch: int = 500  # due items one entity's announcement takes per transaction
    webhook_rate_per_minute: int = 60_000  # website deliveries per key
    export_dir: Path = Path("exports")
    export_keep_hours: int = 24  # an export file is deleted this long after it is ready
    event_keep_hours: int = 24
    event_keep_max: int | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    mail_from: str = "SalesMagnet <no-reply@salesmagnet.local>"
    log_level: str = "INFO"
    log_format: str = "text"
    metrics: bool = True
    analytics_rollups: bool = True  # off: writers stop moving rollups (to measure their cost)
    analytics_lag: float = 1.0  # seconds an analytics answer may trail a floor that keeps changing
    metrics_token: str | None = field(default=None, repr=False)
    metrics_port: int | None = None  # the arq worker's own /metrics listener
    db_timeout: float = 0.75  # seconds a database call may take in a server process, then 503
    worker_db_timeout: float = 30.0  # the same bound for jobs, in `salesmagnet worker` or in-process
    redis_timeout: float = 0.5  # seconds a Redis call may take (connect and command), then 503
    # The load balancers whose X-Forwarded-For/-Proto name the client (addresses or networks,
    # comma-separated, or *); none: the connection's own address is the client's.
    trusted_proxies: str | None = None

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def access_ttl(self) -> timedelta:
        return parse_duration(self.jwt_expires_in)

    @property
    def refresh_ttl(self) -> timedelta:
        return parse_duration(self.jwt_refresh_expires_in)

    def __repr__(self) -> str:  # never print secrets
        return f"Settings(env={self.env!r}, database={self.database_url.split('://')[0]})"


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _proxies(env: dict[str, str]) -> str | None:
    """TRUSTED_PROXIES as uvicorn takes it, each entry checked (a typo would trust no one)."""
    entries = [e.strip() for e in env.get("TRUSTED_PROXIES", "").split(",") if e.strip()]
    for entry in entries:
        if entry != "*":
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(
                    f"TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 10.0.0.0/8)"
                ) from None
    return ",".join(entries) or None


def _divisor_of_minute(env: dict[str, str], name: str, default: int) -> int:
    """Seconds that divide a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60): a cron turn
    every that many seconds, aligned to the clock."""
    value = _int(env, name, default, minimum=1)
    if 60 % value:
        raise ConfigError(f"{name} must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), got {value}")
    return value


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative")
    return value


def _choice(env: dict[str, str], name: str, default: str, choices: tuple[str, ...], upper: bool) -> str:
    raw = env.get(name) or default
    value = raw.upper() if upper else raw.lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def _switch(env: dict[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").lower()
    if not raw:
        return default
    if raw not in ("on", "off", "1", "0", "true", "false", "yes", "no"):
        raise ConfigError(f"{name} must be on or off, got {env[name]!r}")
    return raw in ("on", "1", "true", "yes")


def _database_url(env: dict[str, str]) -> str:
    url = env.get("DATABASE_URL") or "sqlite://salesmagnet.db"
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        # Only the scheme is named: the rest may hold a password.
        given = f"{scheme[:20]!r}" if scheme else "no scheme"
        raise ConfigError(f"DATABASE_URL must start with sqlite:// or mysql://, got {given}")
    return url


def public_url(url: str) -> str:
    """A database URL without its password, fit for a message."""
    return re.sub(r"^(\w+://[^:/@]*):.*@", r"\1@", url)  # up to the last @: a password may hold one


def unreachable(url: str, exc: BaseException) -> ConfigError:
    """The one-line start-up failure for a database that cannot be reached (the driver's own
    reason, e.g. "Can't connect to MySQL server on '127.0.0.1'"; never the password)."""
    cause = exc.__cause__ or exc.__context__
    args: tuple[Any, ...] = getattr(cause, "args", ())
    if len(args) == 2 and isinstance(args[1], str):
        reason = args[1]
    elif isinstance(exc, ConnectionError):  # outages.DependencyDown: its message names no secret
        reason = str(exc)
    else:
        reason = type(cause or exc).__name__
    return ConfigError(f"cannot reach the database at {public_url(url)}: {reason}")


def _lag(env: dict[str, str]) -> float:
    value = _seconds(env, "ANALYTICS_LAG", 1.0)
    if not 0 <= value <= 60:
        raise ConfigError("ANALYTICS_LAG must be between 0 and 60 seconds")
    return value


def _bound(env: dict[str, str], name: str, default: float) -> float:
    value = _seconds(env, name, default)
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0 seconds")
    return value


def _dev_secret(path: Path) -> str:
    """A development signing key kept in a local file, made once."""
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read the settings; refuse a production configuration without JWT_SECRET."""
    env = dict(os.environ if env is None else env)
    mode = env.get("SALESMAGNET_ENV", "development")
    if mode not in ("development", "production", "test"):
        raise ConfigError("SALESMAGNET_ENV must be development, production or test")
    secret = env.get("JWT_SECRET", "")
    if not secret:
        if mode == "production":
            raise ConfigError("JWT_SECRET is required when SALESMAGNET_ENV=production")
        secret = _dev_secret(Path(env.get("SALESMAGNET_SECRET_FILE", ".salesmagnet-dev-secret")))
    if len(secret.encode()) < 32:
        raise ConfigError("JWT_SECRET must be at least 32 bytes")
    workers = _int(env, "WORKERS", 1, minimum=1)
    redis_url = env.get("REDIS_URL") or None
    if workers > 1 and not redis_url:
        raise ConfigError("WORKERS > 1 needs REDIS_URL (events and limits are shared through it)")
    keep_max = env.get("EVENT_KEEP_MAX")
    settings = Settings(
        env=mode,
        database_url=_database_url(env),
        redis_url=redis_url,
        host=env.get("HOST", "127.0.0.1"),
        port=_int(env, "PORT", 8000, minimum=0),
        workers=workers,
        jwt_secret=secret,
        jwt_expires_in=env.get("JWT_EXPIRES_IN", "72h"),
        jwt_refresh_expires_in=env.get("JWT_REFRESH_EXPIRES_IN", "30d"),
        fb_app_secret=env.get("FB_APP_SECRET") or None,
        fb_verify_token=env.get("FB_VERIFY_TOKEN") or None,
        fb_page_access_token=env.get("FB_PAGE_ACCESS_TOKEN") or None,
        fb_graph_url=env.get("FB_GRAPH_URL", "https://graph.facebook.com/v26.0").rstrip("/"),
        fb_retry_seconds=_seconds(env, "FB_RETRY_SECONDS", 5.0),
        sla_hours=_int(env, "SLA_HOURS", 24, minimum=1),
        monitor_interval=_divisor_of_minute(env, "MONITOR_INTERVAL", 1),
        monitor_batch=_int(env, "MONITOR_BATCH", 500, minimum=1),
        webhook_rate_per_minute=_int(env, "WEBHOOK_RATE_PER_MINUTE", 60_000, minimum=1),
        export_dir=Path(env.get("EXPORT_DIR", "exports")),
        export_keep_hours=_int(env, "EXPORT_KEEP_HOURS", 24, minimum=1),
        event_keep_hours=_int(env, "EVENT_KEEP_HOURS", 24, minimum=1),
        event_keep_max=_int(env, "EVENT_KEEP_MAX", 0, minimum=1) if keep_max else None,
        smtp_host=env.get("SMTP_HOST") or None,
        smtp_port=_int(env, "SMTP_PORT", 25, minimum=1),
        smtp_user=env.get("SMTP_USER") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_starttls=env.get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
        mail_from=env.get("MAIL_FROM", "SalesMagnet <no-reply@salesmagnet.local>"),
        log_level=_choice(env, "LOG_LEVEL", "INFO", LOG_LEVELS, upper=True),
        log_format=_choice(env, "LOG_FORMAT", "text", LOG_FORMATS, upper=False),
        metrics=_switch(env, "METRICS", True),
        analytics_rollups=_switch(env, "ANALYTICS_ROLLUPS", True),
        analytics_lag=_lag(env),
        metrics_token=env.get("METRICS_TOKEN") or None,
        metrics_port=_int(env, "METRICS_PORT", 0, minimum=1) if env.get("METRICS_PORT") else None,
        db_timeout=_bound(env, "DB_TIMEOUT", 0.75),
        worker_db_timeout=_bound(env, "WORKER_DB_TIMEOUT", 30.0),
        redis_timeout=_bound(env, "REDIS_TIMEOUT", 0.5),
        trusted_proxies=_proxies(env),
    )
    settings.access_ttl, settings.refresh_ttl  # noqa: B018 - validate durations now, not at login
    return settings
