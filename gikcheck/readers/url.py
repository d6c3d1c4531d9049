"""Fetching a report from an http(s) address: one deadline, a size cap, then the usual readers.

``fetch(url)`` returns the body and a file name whose suffix tells the
engine which reader to use ("page.html", "report.pdf", ...), from the
Content-Type or else the address. A charset declared in the Content-Type
(which takes precedence over the page's own declaration) is passed on to
the HTML reader as a ``<meta charset>`` placed before the page. Every
failure is a ReadError with a Chinese reason.

The whole download (connecting, headers, body, redirects) has one deadline,
``DOWNLOAD_SECONDS``: a socket timeout only bounds each read, and a server
sending a byte every few seconds would be read forever. At the deadline a
watchdog shuts the connection's sockets down. A body shorter than its
Content-Length is refused (「下载不完整」), not checked as a truncated report.
"""

from __future__ import annotations

import codecs
import http.client
import posixpath
import re
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
import zlib

from ..reading import MAX_INPUT_BYTES, TEXT_SUFFIXES, ReadError

TIMEOUT = 20.0  # seconds, for connecting and for each read
DOWNLOAD_SECONDS = 60.0  # for the whole download, however the server trickles
MAX_BYTES = MAX_INPUT_BYTES  # the same cap as for files
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/x-pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]{2,40})", re.IGNORECASE)


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise ReadError(f"网址重定向到了不支持的地址: {newurl[:100]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Deadline:
    """Shuts down every socket of one download when its time is up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> type[http.client.HTTPConnection]:
    class Watched(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            create = self._create_connection  # type: ignore[has-type]  # set again below, on this instance

            def connect(*a, **k):
                sock = create(*a, **k)
                deadline.add(sock)  # the raw socket: covers a TLS handshake too
                return sock

            self._create_connection = connect

        def connect(self) -> None:
            super().connect()
            deadline.add(self.sock)  # the TLS socket, once wrapped

    return Watched


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req):
        return self.do_open(_watched(http.client.HTTPConnection, self._deadline), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._deadline = deadline
        self._ctx = context

    def https_open(self, req):
        return self.do_open(_watched(http.client.HTTPSConnection, self._deadline), req, context=self._ctx)


# Chinese for the statuses a report's address commonly answers with.
_HTTP_WHAT = {
    400: "（请求有误）",
    401: "（需要登录）",
    403: "（禁止访问）",
    404: "（找不到该页面）",
    410: "（该页面已删除）",
    429: "（请求过于频繁）",
    500: "（服务器内部错误）",
    502: "（网关错误）",
    503: "（服务暂不可用）",
    504: "（网关超时）",
}


def _name_for(url: str, content_type: str) -> str:
    mime = content_type.split(";")[0].strip().lower()
    suffix = _TYPES.get(mime, "")
    path = urllib.parse.urlsplit(url).path
    base = posixpath.basename(path) or "page"
    if not suffix:
        ext = posixpath.splitext(base)[1].lower()
        suffix = ext if ext in (".html", ".htm", ".shtml", ".pdf", ".docx", *TEXT_SUFFIXES) else ".html"
    stem = posixpath.splitext(base)[0] or "page"
    return stem + suffix


def _read_capped(resp, url: str) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > MAX_BYTES:
        raise ReadError(f"网址的内容过大({int(length) // (1024 * 1024)} MB),超过上限 {MAX_BYTES // (1024 * 1024)} MB")
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = resp.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > MAX_BYTES:
            raise ReadError(f"网址的内容超过上限 {MAX_BYTES // (1024 * 1024)} MB,已停止下载")
        chunks.append(chunk)
    if length and length.strip().isdigit() and total < int(length):
        raise ReadError(f"下载不完整(只收到 {total} 字节,服务器声明的长度是 {int(length)} 字节),请稍后重试")
    data = b"".join(chunks)
    encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        # Not asked for, but some servers compress anyway: inflate with the same cap.
        d = zlib.decompressobj(zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS)
        try:
            data = d.decompress(data, MAX_BYTES + 1)
        except zlib.error:
            raise ReadError("网址返回的压缩内容已损坏") from None
        if len(data) > MAX_BYTES or d.unconsumed_tail:
            raise ReadError(f"网址的内容解压后超过上限 {MAX_BYTES // (1024 * 1024)} MB")
    return data


def fetch(url: str, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """Download ``url``; returns (body, file name for reader dispatch) or raises ReadError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ReadError(f"不支持的网址: {url[:100]}(只支持 http:// 和 https://)")
    total = DOWNLOAD_SECONDS
    deadline = _Deadline(total)
    opener = urllib.request.build_opener(_Redirects(), _HTTP(deadline), _HTTPS(deadline, ssl.create_default_context()))
    req = urllib.request.Request(
        url,
        headers={
            "User-Agent": "gikcheck (government report linter)",
            "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    late = f"下载超时({total:g} 秒内没有下载完)"
    try:
        with deadline, opener.open(req, timeout=min(timeout, total)) as resp:
            data = _read_capped(resp, url)
            content_type = resp.headers.get("Content-Type") or ""
            final = resp.geturl() or url
    except ReadError:
        if deadline.expired:
            raise ReadError(late) from None
        raise
    except urllib.error.HTTPError as e:
        if 300 <= e.code < 400:
            raise ReadError(f"网址重定向次数过多或重定向有误（{e.code}）") from None
        raise ReadError(f"服务器返回错误 {e.code}{_HTTP_WHAT.get(e.code, '')}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if deadline.expired:
            raise ReadError(late) from None
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise ReadError(f"连接超时({timeout:g} 秒内没有响应)") from None
        if isinstance(reason, ssl.SSLError):
            raise ReadError(f"HTTPS 证书或加密连接出错（{type(reason).__name__}）") from None
        if isinstance(reason, socket.gaierror):
            raise ReadError("无法连接到服务器（域名无法解析）") from None
        if isinstance(reason, ConnectionRefusedError):
            raise ReadError("无法连接到服务器（服务器拒绝连接）") from None
        raise ReadError(f"无法连接到服务器（{type(reason).__name__}）") from None
    except TimeoutError:
        raise ReadError(late if deadline.expired else f"下载超时({timeout:g} 秒内没有收到数据)") from None
    except http.client.IncompleteRead:
        raise ReadError(late if deadline.expired else "下载不完整(连接在内容传完之前断开),请稍后重试") from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # resets, malformed responses
        if deadline.expired:
            raise ReadError(late) from None
        # The server's own words (a bad status line, a redirect loop's message) stay out of the reason.
        what = "服务器的响应格式错误" if isinstance(e, http.client.HTTPException) else "下载失败"
        raise ReadError(f"{what}（{type(e).__name__}）") from None
    if deadline.expired:  # the watchdog's shutdown reads as the end of a body without a length
        raise ReadError(late)
    name = _name_for(final, content_type)
    m = _CHARSET.search(content_type)
    if (
        m
        and name.endswith(".html")
        and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        # The HTTP header's charset overrides the page's: the HTML reader takes the first declaration.
        data = b'<meta charset="' + m.group(1).encode("ascii") + b'">\n' + data
    return data, name
