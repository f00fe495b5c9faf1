"""A real HTTP server on 127.0.0.1 playing WeCom, DingTalk and an SMS gateway for the
tests: it checks what each vendor checks (the robot's key, DingTalk's signature, the
application's access token, the gateway's HMAC) and the payload's documented shape,
answers as the vendor does, and keeps what it accepted. `failing` makes it answer 500."""

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "d1ngta1k0token"
DINGTALK_SECRET = "SEC3f0c1e6b9e2a4d7c8b5a6f1e2d3c4b5a6978"
CORP_ID = "ww0123456789abcdef"
CORP_SECRET = "app-secret-0123456789"
AGENT_ID = "1000002"
SMS_KEY = "sms-signing-key"


@dataclass
class FakeVendors:
    url: str = ""
    failing: bool = False
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    tokens_issued: int = 0

    def payloads(self, path: str) -> list[dict[str, Any]]:
        return [payload for where, payload in self.received if where == path]


def _wecom_robot(vendors: FakeVendors, query: dict[str, str], payload: dict[str, Any]) -> str:
    if query.get("key") != WECOM_KEY:
        return "invalid webhook url"
    kind = payload.get("msgtype")
    if kind not in {"text", "markdown"} or not payload.get(kind, {}).get("content"):
        return "invalid message"
    return ""


def _dingtalk_robot(vendors: FakeVendors, query: dict[str, str], payload: dict[str, Any]) -> str:
    if query.get("access_token") != DINGTALK_TOKEN:
        return "token is not exist"
    timestamp = query.get("timestamp", "0")
    expected = base64.b64encode(
        hmac.new(
            DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    # DingTalk refuses a timestamp more than an hour from its own time.
    if abs(time.time() * 1000 - int(timestamp)) > 3_600_000 or query.get("sign") != expected:
        return "sign not match"
    kind = payload.get("msgtype")
    body = payload.get(kind, {}) if kind in {"text", "markdown"} else {}
    if not (body.get("content") or (body.get("title") and body.get("text"))):
        return "invalid message"
    return ""


def _wecom_message(vendors: FakeVendors, query: dict[str, str], payload: dict[str, Any]) -> str:
    if query.get("access_token") != f"token-{vendors.tokens_issued}":
        return "invalid access_token"
    if str(payload.get("agentid")) != AGENT_ID or not payload.get("touser"):
        return "invalid agentid or touser"
    if payload.get("msgtype") != "text" or not payload.get("text", {}).get("content"):
        return "invalid message"
    return ""


ROUTES = {
    "/cgi-bin/webhook/send": _wecom_robot,
    "/robot/send": _dingtalk_robot,
    "/cgi-bin/message/send": _wecom_message,
}


def _handler(vendors: FakeVendors) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if vendors.failing:
                return self._answer(500, {})
            if parts.path == "/cgi-bin/gettoken":
                if query.get("corpid") != CORP_ID or query.get("corpsecret") != CORP_SECRET:
                    return self._answer(200, {"errcode": 40001, "errmsg": "invalid credential"})
                vendors.tokens_issued += 1
                token = f"token-{vendors.tokens_issued}"
                return self._answer(
                    200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
                )
            self._answer(404, {})

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if vendors.failing:
                return self._answer(500, {})
            payload = json.loads(raw or b"{}")
            if parts.path == "/sms":
                signed = self.headers.get("X-Tiaodu-Timestamp", "").encode() + b"\n" + raw
                expected = hmac.new(SMS_KEY.encode(), signed, hashlib.sha256).hexdigest()
                if self.headers.get("X-Tiaodu-Signature") != expected:
                    vendors.refused.append((parts.path, "bad signature"))
                    return self._answer(200, {"code": 401, "message": "bad signature"})
                vendors.received.append((parts.path, payload))
                return self._answer(200, {"code": 0})
            check = ROUTES.get(parts.path)
            if check is None:
                return self._answer(404, {})
            problem = check(vendors, query, payload)
            if problem:
                vendors.refused.append((parts.path, problem))
                return self._answer(200, {"errcode": 310000, "errmsg": problem})
            vendors.received.append((parts.path, payload))
            self._answer(200, {"errcode": 0, "errmsg": "ok"})

    return Handler


def serve() -> tuple[FakeVendors, ThreadingHTTPServer]:
    vendors = FakeVendors()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(vendors))
    vendors.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return vendors, server
