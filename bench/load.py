"""The load generators.

Steady scenarios (N clients asking again as soon as they are answered, for a fixed time) run on
``wrk`` (Debian package ``wrk``): written in C, it leaves the two cores to the server far more
than a Python generator would. Its Lua script cycles through the scenario's requests and prints
the counts and latency percentiles as one JSON line.

The booking burst (every request at the same instant) runs on one asyncio loop with a
connection per request, opened beforehand (``burst_at_once``). Paced bursts (the webhooks, at a
fixed rate) and multi-step flows (upload a photo, then file the complaint) run on Python threads
with one keep-alive connection each: a few thousand requests, where the generator's own cost
matters little. When ``wrk`` is missing, the steady scenarios run on the threads too (marked
``"generator": "python"``).
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[rank]


def summarise(latencies_s: list[float], statuses: Counter, wall_s: float) -> dict:
    ms = sorted(x * 1000 for x in latencies_s)
    count = len(ms)
    errors = sum(n for code, n in statuses.items() if not (200 <= int(code) < 400))
    return {
        "requests": count,
        "seconds": round(wall_s, 3),
        "rps": round(count / wall_s, 1) if wall_s else 0.0,
        "p50_ms": _r(percentile(ms, 50)),
        "p95_ms": _r(percentile(ms, 95)),
        "p99_ms": _r(percentile(ms, 99)),
        "max_ms": _r(ms[-1] if ms else None),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
    }


def _r(value):
    return None if value is None else round(value, 1)


# --- wrk -----------------------------------------------------------------------------------------

LUA = r"""
local specs = %(specs)s
local reqs = {}
local i = 0
init = function(args)
  for _, s in ipairs(specs) do
    reqs[#reqs + 1] = wrk.format(s[1], s[2], s[3], s[4])
  end
  i = math.random(0, #reqs - 1)
end
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _lua_string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=True)
    if "\\u" in text:
        raise ValueError(f"wrk scripts take ASCII only: {value!r}")
    return text


def _lua_specs(requests: list[Req]) -> str:
    rows = []
    for r in requests:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers.items())
        body = _lua_string(r.body.decode("ascii")) if r.body else "nil"
        rows.append(f"{{{_lua_string(r.method)}, {_lua_string(r.path)}, {{{headers}}}, {body}}}")
    return "{\n" + ",\n".join(rows) + "\n}"


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def drain(base_url: str, timeout: float = 120) -> None:
    """Wait until the server has worked off the requests a finished run left behind: wrk drops
    its connections at the end, but sync workers still answer what was queued, and the next
    run would be measured behind that queue. The listen queue is served in order, so two
    answered health checks in a row mean it is empty."""
    deadline = time.monotonic() + timeout
    client = Client(base_url, timeout=timeout)
    for _ in range(2):
        while time.monotonic() < deadline:
            try:
                client.send(Req("GET", "/healthz"))
                break
            except OSError:
                client.close()
                time.sleep(0.2)
    client.close()


def wrk_run(base_url: str, requests: list[Req], *, clients: int, seconds: float) -> dict:
    try:
        return _wrk_run(base_url, requests, clients=clients, seconds=seconds)
    finally:
        drain(base_url)


def _wrk_run(base_url: str, requests: list[Req], *, clients: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"specs": _lua_specs(requests)})
    threads = max(1, min(2, clients))
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            base_url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    line = next(
        (x for x in completed.stdout.splitlines() if x.startswith("BENCHJSON ")),
        None,
    )
    if line is None:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}): {completed.stdout}\n{completed.stderr}\n"
            f"script {script.name}"
        )
    Path(script.name).unlink()
    raw = json.loads(line[len("BENCHJSON ") :])
    wall = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "generator": "wrk",
        "requests": raw["requests"],
        "seconds": round(wall, 3),
        "rps": round(raw["requests"] / wall, 1) if wall else 0.0,
        "p50_ms": round(raw["p50"] / 1000, 1),
        "p95_ms": round(raw["p95"] / 1000, 1),
        "p99_ms": round(raw["p99"] / 1000, 1),
        "max_ms": round(raw["max"] / 1000, 1),
        "errors": raw["status"] + socket_errors,
        "error_detail": {k: raw[k] for k in ("status", "connect", "read", "write", "timeout")},
    }


# --- Python threads -------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self, base_url: str, timeout: float = 30):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def send(self, req: Req) -> tuple[int, bytes, dict[str, str]]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(req.method, req.path, body=req.body, headers=req.headers)
                response = self.conn.getresponse()
                body = response.read()
                headers = {k.lower(): v for k, v in response.getheaders()}
                if headers.get("connection", "").lower() == "close":
                    self.close()
                return response.status, body, headers
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had closed: one retry on a fresh one,
                # only for a request that cannot have been processed (nothing came back).
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def burst(
    base_url: str, requests: list[Req], *, concurrency: int, rate: float
) -> tuple[dict, list[tuple[int, bytes]]]:
    """Send every request once, the i-th ``i / rate`` seconds after the start (``paced``, one
    request per flow), from ``concurrency`` threads. Returns the summary and the answers."""
    answers: list[tuple[int, bytes]] = [(0, b"")] * len(requests)

    def flow(client: Client, n: int) -> list[int]:
        try:
            status, body, _ = client.send(requests[n])
        except OSError as exc:
            status, body = 599, str(exc).encode()
            client.close()
        answers[n] = (status, body)
        return [status]

    concurrency = max(1, min(concurrency, len(requests)))
    result = paced(base_url, flow, rate=rate, count=len(requests), concurrency=concurrency)
    return result, answers


async def _send_raw(reader, writer, raw: bytes) -> tuple[int, bytes]:
    """Write one request, read its answer (Content-Length framed, as gunicorn answers)."""
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, body


def _raw_request(req: Req, host: str) -> bytes:
    body = req.body or b""
    headers = {"Host": host, "Connection": "close", **req.headers}
    if body or req.method in ("POST", "PUT", "PATCH"):
        headers["Content-Length"] = str(len(body))
    head = f"{req.method} {req.path} HTTP/1.1\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    return head.encode("latin-1") + b"\r\n" + body


def burst_at_once(base_url: str, requests: list[Req]) -> tuple[dict, list[tuple[int, bytes]]]:
    """Every request at the same instant, each on its own connection, from one asyncio loop.

    The connections are opened first (a phone's handshake is the network's time, not the
    server's); then every request is written in the same loop turn and each answer is timed
    from its own write. One thread drives all of them, so the generator takes little of the
    two cores the server runs on (500 Python threads contending for the GIL took a good part
    of them)."""
    import asyncio

    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    raws = [_raw_request(r, f"{host}:{port}") for r in requests]

    async def main():
        conns = await asyncio.gather(*(asyncio.open_connection(host, port) for _ in raws))
        go = asyncio.Event()
        latencies = [0.0] * len(raws)

        async def one(i):
            reader, writer = conns[i]
            await go.wait()
            began = time.perf_counter()
            try:
                answer = await asyncio.wait_for(_send_raw(reader, writer, raws[i]), 60)
            except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError) as exc:
                answer = (599, str(exc).encode())
            latencies[i] = time.perf_counter() - began
            writer.close()
            return answer

        tasks = [asyncio.ensure_future(one(i)) for i in range(len(raws))]
        await asyncio.sleep(0)
        started = time.perf_counter()
        go.set()
        answers = await asyncio.gather(*tasks)
        return answers, latencies, time.perf_counter() - started

    answers, latencies, wall = asyncio.run(main())
    result = summarise(latencies, Counter(a[0] for a in answers), wall)
    result["generator"] = "python-asyncio"
    return result, answers


class _Tally:
    """The latencies and statuses of flows run by several threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()

    def run(self, client: Client, flow, n: int) -> None:
        began = time.perf_counter()
        try:
            codes = flow(client, n)
        except OSError:
            codes = [599]
            client.close()
        elapsed = time.perf_counter() - began
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses.update(codes)

    def summary(self, wall_s: float) -> dict:
        return {**summarise(self.latencies, self.statuses, wall_s), "generator": "python"}


def closed_loop(base_url: str, flow, *, clients: int, seconds: float) -> dict:
    """``clients`` threads each run ``flow(client, i)`` again and again for ``seconds``; a flow
    returns the statuses of its requests. The latency is the whole flow's."""
    stop_at = time.perf_counter() + seconds
    tally = _Tally()
    counter = [0]

    def worker():
        client = Client(base_url)
        while time.perf_counter() < stop_at:
            with tally.lock:
                counter[0] += 1
                n = counter[0]
            tally.run(client, flow, n)
        client.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally.summary(time.perf_counter() - began)


def paced(base_url: str, flow, *, rate: float, count: int, concurrency: int) -> dict:
    """Open loop: the n-th of ``count`` flows starts ``n / rate`` seconds after the start,
    whether or not the earlier ones have finished (up to ``concurrency`` at once), as citizens
    arriving at a given rate would. The latency is the whole flow's, from its own start."""
    tally = _Tally()
    start = [0.0]
    barrier = threading.Barrier(concurrency + 1)

    def worker(index: int):
        client = Client(base_url)
        barrier.wait()
        for n in range(index, count, concurrency):
            delay = start[0] + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            tally.run(client, flow, n)
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    start[0] = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    return tally.summary(time.perf_counter() - start[0])


def steady(base_url: str, requests: list[Req], *, clients: int, seconds: float) -> dict:
    """N clients for ``seconds``: wrk when installed, else Python threads."""
    if have_wrk():
        return wrk_run(base_url, requests, clients=clients, seconds=seconds)

    def flow(client: Client, n: int) -> list[int]:
        status, _, _ = client.send(requests[n % len(requests)])
        return [status]

    return closed_loop(base_url, flow, clients=clients, seconds=seconds)
