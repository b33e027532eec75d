"""Requests per second measured with wrk (Debian's package), the way the peer comparison was.

Our own Python load generator (``load.py``) records every latency but shares the two cores
with the server, so its req/s undercounts what the server can do. wrk is a small C program:
``wrk -t2 -c16`` against each page gives figures comparable run to run and with vanilla Oscar
measured the same way. Basket-adds are POSTs with a CSRF cookie and token, spread over the
sellable products by a Lua script: with no basket cookie each POST makes a new basket (an
anonymous visitor's first add); with one, every POST adds to the same basket.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

THREADS = 2

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_STATUS = re.compile(r"^status (\d+) (\d+)$", re.MULTILINE)
_LUA_PERCENTILE = re.compile(r"^percentile (\d+) (\d+)$", re.MULTILINE)  # microseconds
_ELAPSED = re.compile(r"^elapsed_ms ([\d.]+)$", re.MULTILINE)  # when every thread stopped itself

# Counts each response status (wrk's own summary lumps 4xx and 5xx together and counts
# 3xx as fine: a basket-add answers 302, a refusal is a 302 too but an error page is not).
_STATUS_SCRIPT = """
counts = {}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  if script_setup then script_setup(thread) end
end
function init(args)
  counts = {}
  if script_init then script_init(args) end
end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d %d\\n", status, n)) end
  -- Threads that stopped themselves (``rotate(once=True)``) ran for less than -d: their span.
  local first, last, stopped = nil, nil, 0
  for _, thread in ipairs(threads) do
    local began, ended = thread:get("began"), thread:get("ended")
    if began and ended then
      stopped = stopped + 1
      first = math.min(first or began, began)
      last = math.max(last or ended, ended)
    end
  end
  if stopped > 0 and stopped == #threads then io.write(string.format("elapsed_ms %.1f\\n", last - first)) end
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("percentile %d %d\\n", p, latency:percentile(p)))
  end
end
"""

_POST_SCRIPT = """
local paths = {%(paths)s}
local n = 0
wrk.method = "POST"
wrk.body = "quantity=1&csrfmiddlewaretoken=%(token)s"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["Referer"] = "%(referer)s"
function request()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
"""


@dataclass
class WrkResult:
    rps: float = 0.0
    requests: int = 0
    percentiles_ms: dict[int, float] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    socket_errors: int = 0
    problem: str = ""

    def errors(self, expect: frozenset[int]) -> int:
        unexpected = sum(count for status, count in self.statuses.items() if status not in expect)
        return unexpected + self.socket_errors + (1 if self.problem else 0)

    def summary(self) -> str:
        if self.problem:
            return self.problem
        p = self.percentiles_ms
        return (f"{self.rps:.0f} req/s, p50/p99 {p.get(50, 0):.1f} / {p.get(99, 0):.1f} ms, "
                f"{self.requests} requests")


def available() -> bool:
    return shutil.which("wrk") is not None


def parse(output: str) -> WrkResult:
    result = WrkResult()
    if match := _RPS.search(output):
        result.rps = float(match.group(1))
    if match := _TOTAL.search(output):
        result.requests = int(match.group(1))
    for pct, value, unit in _PERCENTILE.findall(output):
        result.percentiles_ms[int(pct)] = float(value) * _UNIT_MS[unit]
    for pct, micros in _LUA_PERCENTILE.findall(output):  # exact, and p95, which --latency lacks
        result.percentiles_ms[int(pct)] = int(micros) / 1000
    for status, count in _STATUS.findall(output):
        result.statuses[int(status)] = int(count)
    if (match := _ELAPSED.search(output)) and float(match.group(1)) > 0:
        result.rps = result.requests / (float(match.group(1)) / 1000)  # wrk divides by all of -d
    if match := _SOCKET.search(output):
        result.socket_errors = sum(int(n) for n in match.groups())
    if not result.statuses and (match := _NON_2XX.search(output)):
        result.statuses[0] = int(match.group(1))
    return result


def _run(url: str, *, clients: int, duration: float, script: str, headers: dict[str, str]) -> WrkResult:
    if not available():
        return WrkResult(problem="wrk is not installed (make bench installs Debian's package)")
    with tempfile.TemporaryDirectory() as tmp:
        script_path = Path(tmp) / "bench.lua"
        script_path.write_text(script + _STATUS_SCRIPT, encoding="utf-8")
        command = ["wrk", f"-t{min(THREADS, clients)}", f"-c{clients}", f"-d{max(1, round(duration))}s",
                   "--latency", "--timeout", "10s", "-s", str(script_path), url]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    result = parse(done.stdout)
    if done.returncode != 0 or not result.requests:
        result.problem = f"wrk failed ({done.returncode}): {(done.stderr or done.stdout)[-300:]}"
    return result


_ROTATE_SCRIPT = """
local paths = {%(paths)s}
local n = 0
local started = 0
local share = math.floor(#paths / %(threads)d)
function script_setup(thread)
  started = started + 1
  thread:set("start", (started - 1) * share)
end
local function now_ms()
  local pipe = io.popen("date +%%s%%N")
  local ns = pipe:read("*n")
  pipe:close()
  return ns / 1e6
end
function script_init(args)
  n = start or 0
  began = now_ms()
end
function request()
  n = n + 1
  if %(once)s and not ended and n - (start or 0) > share then
    ended = now_ms()
    wrk.thread:stop()
  end
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def rotate(base_url: str, *, paths: list[str], clients: int, duration: float, once: bool = False) -> WrkResult:
    """GET these paths in turn, each wrk thread from its own share of the list, so that no
    path is asked for twice until the whole list has been: many different queries, say.

    With ``once``, each thread stops when it has asked for its share, so every request is a
    path nobody asked for before in the run, however fast the machine (``duration`` is then a
    limit); without it the list comes round again until ``duration`` is up."""
    listed = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    threads = min(THREADS, clients)
    script = _ROTATE_SCRIPT % {"paths": listed, "threads": threads, "once": "true" if once else "false"}
    return _run(base_url + "/", clients=clients, duration=duration, script=script, headers={})


def get(url: str, *, clients: int, duration: float, cookie: str = "") -> WrkResult:
    return _run(url, clients=clients, duration=duration, script="",
                headers={"Cookie": cookie} if cookie else {})


def basket_add(base_url: str, *, product_ids: list[int], token: str, cookie: str, clients: int,
               duration: float) -> WrkResult:
    """POST /basket/add/<pk>/ round the given products with this CSRF token and cookie."""
    paths = ", ".join(f'"/basket/add/{pk}/"' for pk in product_ids)
    script = _POST_SCRIPT % {"paths": paths, "token": token, "cookie": cookie, "referer": base_url + "/"}
    return _run(base_url + "/", clients=clients, duration=duration, script=script, headers={})
