"""A local stand-in for the part of Stripe's API the shop calls, for the real ``stripe`` client.

A threaded ``http.server`` on 127.0.0.1 and a free port. It checks what Stripe would
check for our calls (the secret key, form-encoded parameters: mode, amounts in fen as
integers, currency cny, payment method types and WeChat Pay's client, metadata carrying
the order number, expiry between 30 minutes and 24 hours, refund amounts within what was
paid), honours idempotency keys as Stripe does (same key → same answer, no second
object), records every request, and answers with Stripe-shaped JSON.

Tests move sessions on with ``complete()``/``expire()`` and build signed webhook
deliveries with ``event()`` and ``sign()``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

KNOWN_METHODS = {"card", "alipay", "wechat_pay"}
_ids = itertools.count(1)


def _id(prefix: str) -> str:
    return f"{prefix}_test_{next(_ids):06d}{int(time.time() * 1000) % 100000:05d}"


def nested(pairs) -> dict:
    """Stripe's bracket form encoding (a[b][0][c]=1) back into dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _listify(root)


def _listify(node):
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_listify(node[key]) for key in sorted(node, key=int)]
        return {key: _listify(value) for key, value in node.items()}
    return node


class Invalid(Exception):
    def __init__(self, message: str, param: str = "", status: int = 400):
        super().__init__(message)
        self.message, self.param, self.status = message, param, status


@dataclass
class Recorded:
    method: str
    path: str
    params: dict
    idempotency_key: str | None


@dataclass
class StripeStandin:
    api_key: str = "sk_test_standin"
    sessions: dict = field(default_factory=dict)
    payment_intents: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    fail_refunds: bool = False
    _idempotent: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> StripeStandin:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                standin._handle(self, "GET")

            def do_POST(self):
                standin._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # --- HTTP ------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path = urlsplit(handler.path).path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        params = nested(parse_qsl(body, keep_blank_values=True)) if method == "POST" else {}
        key = handler.headers.get("Idempotency-Key")
        with self._lock:
            self.requests.append(Recorded(method, path, params, key))
            if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
                status, answer = 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
            elif method == "POST" and key and (method, path, key) in self._idempotent:
                status, answer = self._idempotent[(method, path, key)]
            else:
                try:
                    status, answer = 200, self._route(method, path, params)
                except Invalid as error:
                    status, answer = error.status, {"error": {
                        "type": "invalid_request_error", "message": error.message, "param": error.param}}
                if method == "POST" and key:
                    self._idempotent[(method, path, key)] = (status, answer)
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", _id("req"))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, params: dict) -> dict:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)(/expire)?", path)
        if match:
            session = self.sessions.get(match.group(1))
            if session is None:
                raise Invalid(f"No such checkout.session: '{match.group(1)}'", "session", 404)
            if match.group(2) and method == "POST":
                if session["status"] != "open":
                    raise Invalid("Only Checkout Sessions with a status of open can be expired.")
                session["status"] = "expired"
            elif method != "GET":
                raise Invalid("Unrecognized request URL", status=404)
            return dict(session)
        match = re.fullmatch(r"/v1/payment_intents/([^/]+)", path)
        if match and method == "GET":
            intent = self.payment_intents.get(match.group(1))
            if intent is None:
                raise Invalid(f"No such payment_intent: '{match.group(1)}'", "intent", 404)
            return dict(intent)
        if method == "POST" and path == "/v1/refunds":
            return self._refund(params)
        raise Invalid(f"Unrecognized request URL ({method}: {path})", status=404)

    def _create_session(self, p: dict) -> dict:
        if p.get("mode") != "payment":
            raise Invalid("mode must be payment", "mode")
        items = p.get("line_items")
        if not isinstance(items, list) or not items:
            raise Invalid("line_items is required", "line_items")
        total = 0
        for index, item in enumerate(items):
            price = item.get("price_data") or {}
            if price.get("currency") != "cny":
                raise Invalid("currency must be cny here", f"line_items[{index}][price_data][currency]")
            amount = price.get("unit_amount", "")
            if not re.fullmatch(r"[1-9][0-9]*", amount):
                raise Invalid("unit_amount must be a positive integer (fen)",
                              f"line_items[{index}][price_data][unit_amount]")
            if not (price.get("product_data") or {}).get("name"):
                raise Invalid("product_data[name] is required", f"line_items[{index}][price_data][product_data]")
            total += int(amount) * int(item.get("quantity", "0"))
        methods = p.get("payment_method_types")
        if not isinstance(methods, list) or not methods or not set(methods) <= KNOWN_METHODS:
            raise Invalid("payment_method_types is invalid", "payment_method_types")
        if "wechat_pay" in methods and (p.get("payment_method_options") or {}).get("wechat_pay", {}).get(
                "client") != "web":
            raise Invalid("payment_method_options[wechat_pay][client] is required", "payment_method_options")
        number = p.get("client_reference_id")
        if not number or (p.get("metadata") or {}).get("order_number") != number:
            raise Invalid("metadata[order_number] must carry the order number", "metadata")
        expires_at = int(p.get("expires_at", "0"))
        now = int(time.time())
        if not now + 30 * 60 - 5 <= expires_at <= now + 24 * 3600:
            raise Invalid("expires_at must be 30 minutes to 24 hours from now", "expires_at")
        if "{CHECKOUT_SESSION_ID}" not in p.get("success_url", ""):
            raise Invalid("success_url should carry the session id", "success_url")
        session_id = _id("cs")
        session = {
            "id": session_id, "object": "checkout.session", "mode": "payment",
            "amount_total": total, "amount_subtotal": total, "currency": "cny",
            "client_reference_id": number, "metadata": p.get("metadata"),
            "payment_method_types": methods, "payment_intent": None,
            "status": "open", "payment_status": "unpaid", "expires_at": expires_at,
            "url": f"https://checkout.stripe.com/c/pay/{session_id}", "livemode": False,
            "success_url": p["success_url"], "cancel_url": p.get("cancel_url"),
            "customer_email": p.get("customer_email"),
        }
        self.sessions[session_id] = session
        return dict(session)

    def _refund(self, p: dict) -> dict:
        if self.fail_refunds:
            raise Invalid("Stand-in told to refuse refunds", "payment_intent", 402)
        intent = self.payment_intents.get(p.get("payment_intent", ""))
        if intent is None:
            raise Invalid("No such payment_intent", "payment_intent", 404)
        amount = p.get("amount", "")
        if not re.fullmatch(r"[1-9][0-9]*", amount):
            raise Invalid("amount must be a positive integer (fen)", "amount")
        if int(amount) > intent["amount_received"] - intent["amount_refunded"]:
            raise Invalid("Refund amount is greater than unrefunded amount on charge", "amount")
        intent["amount_refunded"] += int(amount)
        refund = {"id": _id("re"), "object": "refund", "amount": int(amount), "currency": "cny",
                  "payment_intent": intent["id"], "status": "succeeded", "reason": p.get("reason"),
                  "metadata": p.get("metadata") or {}}
        self.refunds[refund["id"]] = refund
        return refund

    # --- what Stripe does when the shopper pays or walks away ----------------------------
    def complete(self, session_id: str, *, paid: bool = True) -> dict:
        with self._lock:
            session = self.sessions[session_id]
            intent_id = session["payment_intent"] or _id("pi")
            session.update(status="complete", payment_status="paid" if paid else "unpaid",
                           payment_intent=intent_id)
            self.payment_intents[intent_id] = {
                "id": intent_id, "object": "payment_intent", "amount": session["amount_total"],
                "amount_received": session["amount_total"] if paid else 0, "amount_refunded": 0,
                "currency": "cny", "status": "succeeded" if paid else "processing",
                "metadata": session["metadata"],
            }
            return dict(session)

    def settle_async(self, session_id: str, *, succeeded: bool) -> dict:
        with self._lock:
            session = self.sessions[session_id]
            session["payment_status"] = "paid" if succeeded else "unpaid"
            intent = self.payment_intents[session["payment_intent"]]
            intent["status"] = "succeeded" if succeeded else "requires_payment_method"
            intent["amount_received"] = session["amount_total"] if succeeded else 0
            return dict(session)

    def expire(self, session_id: str) -> dict:
        with self._lock:
            self.sessions[session_id]["status"] = "expired"
            return dict(self.sessions[session_id])

    @staticmethod
    def event(event_type: str, session: dict, *, event_id: str | None = None) -> dict:
        return {"id": event_id or _id("evt"), "object": "event", "type": event_type, "api_version": "2024-06-20",
                "created": int(time.time()), "livemode": False, "data": {"object": dict(session)}}


def sign(payload: str, secret: str, *, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, computed as Stripe does: HMAC-SHA256 of "t.payload"."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
