"""How a message leaves: the vendors' HTTP calls (WeCom and DingTalk group robots, WeCom
application messages) and the site's SMS gateway, each raising `SendFailed` with the reason
when the message did not get through (docs/messaging.md).

The payloads follow each vendor's documented format: `msgtype` "markdown" for the robots
(WeCom `{"markdown": {"content"}}`, DingTalk `{"markdown": {"title", "text"}}`), "text"
for WeCom application messages; a vendor's answer with an `errcode` other than 0 is a
failure like an HTTP error.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils.module_loading import import_string

# WeCom answers this when the access token has expired or was revoked: fetch a new one.
WECOM_TOKEN_EXPIRED = frozenset({40014, 42001})


class SendFailed(Exception):
    """The message did not get through; the text says why (shown on the dead-letter page)."""


@dataclass(frozen=True)
class Message:
    title: str
    text: str


def options() -> dict[str, Any]:
    return dict(settings.TIAODU_MESSAGING)


def json_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def http_json(
    url: str, payload: dict[str, Any] | None, headers: dict[str, str] | None = None
) -> Any:
    """POST `payload` as JSON (GET when None) and return the decoded answer."""
    data = None if payload is None else json_body(payload)
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=options()["TIMEOUT"]) as answer:
            body = answer.read()
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code} {error.reason}") from error
    except (OSError, ValueError) as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error
    try:
        return json.loads(body or b"{}")
    except ValueError as error:
        raise SendFailed(f"not JSON: {body[:200]!r}") from error


def checked(answer: Any) -> Any:
    """The vendor's answer, or `SendFailed` when it names an error."""
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise SendFailed(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return answer


def wecom_robot(*, webhook_url: str, message: Message) -> None:
    """A WeCom group robot: the webhook URL carries the robot's key."""
    content = f"**{message.title}**\n{message.text}".strip()
    checked(http_json(webhook_url, {"msgtype": "markdown", "markdown": {"content": content}}))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's robot signature: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret,
    in base64 (the caller URL-encodes it into the `sign` parameter)."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def dingtalk_robot(*, webhook_url: str, secret: str, message: Message) -> None:
    """A DingTalk group robot; with a secret the URL gains `timestamp` and `sign`."""
    url = webhook_url
    if secret:
        timestamp = int(time.time() * 1000)
        query = urllib.parse.urlencode(
            {"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)}
        )
        url = f"{webhook_url}{'&' if '?' in webhook_url else '?'}{query}"
    text = f"#### {message.title}\n\n{message.text}".strip()
    payload = {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}
    checked(http_json(url, payload))


def wecom_configured() -> bool:
    conf = options()
    return bool(conf["WECOM_CORP_ID"] and conf["WECOM_AGENT_ID"] and conf["WECOM_SECRET"])


def _token_key() -> str:
    conf = options()
    return f"messaging:wecom-token:{conf['WECOM_CORP_ID']}:{conf['WECOM_AGENT_ID']}"


def wecom_token(*, fresh: bool = False) -> str:
    """The application's access token from `gettoken`, cached until shortly before it
    expires (WeCom gives 7,200 s); `fresh` fetches a new one."""
    key = _token_key()
    token = None if fresh else cache.get(key)
    if token:
        return str(token)
    conf = options()
    query = urllib.parse.urlencode(
        {"corpid": conf["WECOM_CORP_ID"], "corpsecret": conf["WECOM_SECRET"]}
    )
    answer = checked(http_json(f"{conf['WECOM_API']}/cgi-bin/gettoken?{query}", None))
    token = str(answer.get("access_token", ""))
    if not token:
        raise SendFailed("gettoken answered no access_token")
    lifetime = int(answer.get("expires_in", 7200))
    cache.set(key, token, timeout=max(lifetime - 300, 60))
    return token


def wecom_message(*, user_id: str, message: Message) -> None:
    """A WeCom application message to one member (their WeCom user id)."""
    conf = options()
    payload = {
        "touser": user_id,
        "msgtype": "text",
        "agentid": int(conf["WECOM_AGENT_ID"]),
        "text": {"content": f"{message.title}\n{message.text}".strip()},
        "safe": 0,
    }
    for fresh in (False, True):
        url = f"{conf['WECOM_API']}/cgi-bin/message/send?access_token={wecom_token(fresh=fresh)}"
        answer = http_json(url, payload)
        if isinstance(answer, dict) and answer.get("errcode") in WECOM_TOKEN_EXPIRED and not fresh:
            continue
        checked(answer)
        return


class SmsGateway(Protocol):
    """A site's SMS gateway: send one text to one mobile number, or raise `SendFailed`."""

    def send(self, *, mobile: str, message: Message) -> None: ...


class HttpSmsGateway:
    """The HTTP adapter: POSTs `{"mobile", "template", "params": {"title", "text"}}` as JSON
    to SMS_URL, signed in `X-Tiaodu-Timestamp` and `X-Tiaodu-Signature` (hex HMAC-SHA256 of
    "timestamp\\nbody" keyed by SMS_KEY); the gateway answers `{"code": 0}` when accepted."""

    def send(self, *, mobile: str, message: Message) -> None:
        conf = options()
        payload = {
            "mobile": mobile,
            "template": conf["SMS_TEMPLATE"],
            "params": {"title": message.title, "text": message.text},
        }
        timestamp = str(int(time.time()))
        signature = hmac.new(
            conf["SMS_KEY"].encode(),
            timestamp.encode() + b"\n" + json_body(payload),
            hashlib.sha256,
        ).hexdigest()
        answer = http_json(
            conf["SMS_URL"],
            payload,
            {"X-Tiaodu-Timestamp": timestamp, "X-Tiaodu-Signature": signature},
        )
        if not isinstance(answer, dict) or answer.get("code", 0) != 0:
            raise SendFailed(f"SMS gateway refused: {answer!r}"[:500])


def sms_configured() -> bool:
    return bool(options()["SMS_URL"])


def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(options()["SMS_GATEWAY"])()
    return gateway


def email(*, address: str, message: Message) -> None:
    try:
        send_mail(message.title, message.text, None, [address])
    except Exception as error:  # any mail server failure is a failed attempt to retry
        raise SendFailed(f"{type(error).__name__}: {error}") from error
