"""Latency of the language server: from a didChange to the publishDiagnostics of that version, on
a seed example, as an editor sees it (the server runs as `perfdsl lsp` in a subprocess).

Two cases:
- an edit after a quiet spell (someone fixes a number and stops): checked at once;
- the last edit of a burst (typing): checked once the burst pauses for the debounce interval.

Target: ≤ 200 ms. Run: python benchmarks/bench_lsp.py [FILE] [--rounds N] [--check]
(--check: exit 1 when a median is over the target)."""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200.0


class Server:
    def __init__(self):
        self.p = subprocess.Popen(
            [sys.executable, "-m", "perfdsl.cli.main", "lsp"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.q: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        f = self.p.stdout
        while True:
            headers = {}
            while True:
                line = f.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                k, v = line.split(":", 1)
                headers[k.lower()] = v.strip()
            self.q.put((time.perf_counter(), json.loads(f.read(int(headers["content-length"])))))

    def send(self, msg: dict) -> float:
        data = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.p.stdin.flush()
        return time.perf_counter()

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)[1]

    def notify(self, method: str, params) -> float:
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, timeout: float = 10.0):
        end = time.perf_counter() + timeout
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no answer from the server")
            at, m = self.q.get(timeout=left)
            if m.get("method") and "id" in m:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
                continue
            if pred(m):
                return at, m

    def diagnostics(self, uri: str, version: int):
        return self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.p.wait(timeout=5)
        except Exception:
            self.p.kill()


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p90 = ms[max(0, int(len(ms) * 0.9) - 1)]
    verdict = "ok" if statistics.median(ms) <= TARGET_MS else "OVER TARGET"
    return (
        f"{name:34} median {statistics.median(ms):6.1f} ms   p90 {p90:6.1f} ms   "
        f"max {ms[-1]:6.1f} ms   ({len(ms)} runs, target ≤ {TARGET_MS:.0f} ms: {verdict})"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(ROOT / "examples" / "12345-hotline-2023.perf"))
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    path = Path(args.file).resolve()
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    variants = [text, text.replace("61.99万条", "62万条", 1), text + "\n# 修改\n"]

    s = Server()
    try:
        t0 = time.perf_counter()
        s.request("initialize", {"processId": os.getpid(), "rootUri": ROOT.as_uri(), "capabilities": {}})
        s.notify("initialized", {})
        opened = s.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "perf", "version": 1, "text": text}}
        )
        at, first = s.diagnostics(uri, 1)
        print(f"{path.name}: {text.count(chr(10))} lines, {len(first['params']['diagnostics'])} diagnostics")
        print(
            f"start-up to first diagnostics: {(at - t0) * 1000:.0f} ms (didOpen → diagnostics {(at - opened) * 1000:.0f} ms)"
        )
        version = 1
        quiet = []
        for k in range(args.rounds):
            time.sleep(0.3)  # a quiet spell, longer than the debounce interval
            version += 1
            sent = s.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": variants[k % len(variants)]}],
                },
            )
            at, _ = s.diagnostics(uri, version)
            quiet.append((at - sent) * 1000)
        burst = []
        for k in range(max(5, args.rounds // 3)):
            time.sleep(0.3)
            for j in range(20):  # typing: an edit every 20 ms
                version += 1
                sent = s.notify(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": variants[(k + j) % len(variants)]}],
                    },
                )
                time.sleep(0.02)
            at, _ = s.diagnostics(uri, version)
            burst.append((at - sent) * 1000)
        print(summary("didChange → diagnostics (quiet)", quiet))
        print(summary("last edit of a burst → diagnostics", burst))
        over = statistics.median(quiet) > TARGET_MS or statistics.median(burst) > TARGET_MS
        return 1 if args.check and over else 0
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
