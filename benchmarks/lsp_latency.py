"""Measure `gikcheck lsp`: how soon an edit's diagnostics arrive, how bursts coalesce,
and whether hover answers while a check runs.

    python benchmarks/lsp_latency.py                 # examples/defective-tables.txt, 40 edits
    python benchmarks/lsp_latency.py --report FILE   # another report
    python benchmarks/lsp_latency.py --edits 10 --json out.json

A real server process is driven over stdio by a pygls client. Each single
edit is sent when nothing else is pending; its latency is the time from
sending didChange to receiving the publishDiagnostics for that version.
Target: median and 95th percentile within 30 ms. No figure is asserted here:
the script measures and prints (Markdown); the README records.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REPORT = ROOT / "examples" / "defective-tables.txt"


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("lsp-latency", "1")
        self.published: dict[int, float] = {}  # version → arrival time
        self.waiters: dict[int, asyncio.Future[float]] = {}
        self.count = 0


async def measure(report: Path, edits: int, burst: int) -> dict[str, object]:
    client = Client()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(ls: Client, params: types.PublishDiagnosticsParams) -> None:
        now = time.perf_counter()
        ls.count += 1
        if params.version is not None:
            ls.published[params.version] = now
            waiter = ls.waiters.pop(params.version, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(now)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log(ls: Client, params: types.LogMessageParams) -> None:
        pass

    await client.start_io(sys.executable, "-m", "gikcheck", "lsp")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(position_encodings=["utf-8"])
            ),
            process_id=None,
        )
    )
    client.initialized(types.InitializedParams())
    text = report.read_text(encoding="utf-8")
    uri = report.resolve().as_uri()
    loop = asyncio.get_running_loop()

    async def send(version: int, new_text: str) -> float:
        waiter: asyncio.Future[float] = loop.create_future()
        client.waiters[version] = waiter
        start = time.perf_counter()
        if version == 1:
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=new_text)
                )
            )
        else:
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
                )
            )
        return (await asyncio.wait_for(waiter, 30)) - start

    first = await send(1, text)
    await asyncio.sleep(0.3)  # the warm-up check at initialization is done
    version = 1
    latencies: list[float] = []
    for i in range(edits):
        version += 1
        # Typing a character and deleting it again: the text alternates.
        latencies.append(await send(version, text + ("字" if i % 2 == 0 else "")))
        await asyncio.sleep(0.05)

    # A burst: `burst` changes sent at once, as fast typing with a slow link would.
    before = client.count
    start = time.perf_counter()
    waiter: asyncio.Future[float] = loop.create_future()
    client.waiters[version + burst] = waiter
    for i in range(1, burst + 1):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version + i),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + "字" * i)],
            )
        )
    burst_done = await asyncio.wait_for(waiter, 30) - start
    burst_publications = client.count - before
    version += burst

    # Hover while a check runs: the change starts a check; the hover is answered meanwhile.
    await asyncio.sleep(0.1)
    version += 1
    waiter = loop.create_future()
    client.waiters[version] = waiter
    start = time.perf_counter()
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)
        )
    )
    hover = time.perf_counter() - start
    await asyncio.wait_for(waiter, 30)

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    ms = sorted(x * 1000 for x in latencies)
    # The check alone, in this process: the rest of an edit's latency is the server's and the link's.
    from gikcheck.lsp import check_source

    check_source(text, str(report))
    alone = []
    for i in range(edits):
        start = time.perf_counter()
        check_source(text + ("字" if i % 2 == 0 else ""), str(report))
        alone.append((time.perf_counter() - start) * 1000)
    return {
        "report": str(report),
        "bytes": len(text.encode("utf-8")),
        "edits": edits,
        "open_ms": round(first * 1000, 1),
        "edit_median_ms": round(statistics.median(ms), 1),
        "edit_p95_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1),
        "edit_max_ms": round(ms[-1], 1),
        "check_alone_median_ms": round(statistics.median(alone), 1),
        "burst_changes": burst,
        "burst_publications": burst_publications,
        "burst_last_ms": round(burst_done * 1000, 1),
        "hover_during_check_ms": round(hover * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result = asyncio.run(measure(args.report, args.edits, args.burst))
    print("| figure | value |\n|---|---|")
    for key, value in result.items():
        print(f"| {key} | {value} |")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
