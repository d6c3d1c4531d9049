"""PDFium (the ``pypdfium2`` wheel's library) through ctypes: a page's characters and ruling lines.

Only the few functions the PDF reader needs are declared here: importing
``pypdfium2`` (~60 ms) or even its generated bindings (~25 ms) would cost
more than reading a whole report. The library file is found where the
``pypdfium2_raw`` package keeps it, without importing that package.

Coordinates are returned as pdfminer/pdfplumber give them, so the rest of
the reader is independent of the backend: ``x`` from the media box's left,
``top``/``bottom`` from its top edge. A character's box is pdfminer's: the
advance width across (PDFium's "loose" box), from the font descriptor's
descent below the baseline up one font size (the descriptor is read from
the file's bytes, as PDFium gives no access to it; PDFium's own descent
differs where a producer writes 0, as LibreOffice does).

Where PDFium's text differs from pdfminer's, by design:
- it maps the Kangxi radicals some fonts' ToUnicode tables give (⼈ U+2F08)
  to the ideographs they look like (人), as a reader reads them;
- it drops duplicated overlapping text (fake bold), which pdfminer doubles;
- it puts its own space where it sees a gap, and sometimes in place of a
  real space glyph. Its own spaces are dropped (words are split by gap, as
  pdfplumber does), so a real space narrower than 3 pt that PDFium replaced
  is lost: Chromium's print header reads "12/4/26,5:47AM".

PDFium is not thread-safe: every use holds ``LOCK``.
"""

from __future__ import annotations

import _thread  # not threading (≈ 0.7 ms of a cold run, with _weakrefset): a lock is all this needs
import itertools
import os
import re
import sys
from codecs import utf_16_le_decode
from time import monotonic as _monotonic

from .. import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from .pdfgrid import Edge
    from .pdftext import Char

if TYPE_CHECKING or os.name != "posix" or sys.implementation.name != "cpython":
    from ctypes import (
        CDLL,
        POINTER,
        PyDLL,
        byref,
        c_char,
        c_char_p,
        c_double,
        c_float,
        c_int,
        c_size_t,
        c_uint,
        c_ulong,
        c_ushort,
        c_void_p,
    )
else:
    # The ctypes package costs a cold run ≈ 1 ms (its ~40 types, struct, a callback made at import) for
    # the few types and the two library loaders used here, which are CPython's C module's: declared as
    # the package declares them (size_t is an unsigned long on POSIX systems: LP64 or ILP32).
    from _ctypes import FUNCFLAG_CDECL, FUNCFLAG_PYTHONAPI, POINTER, RTLD_LOCAL, CFuncPtr, _SimpleCData, byref, dlopen

    c_char, c_char_p, c_double, c_float, c_int, c_uint, c_ulong, c_ushort, c_void_p = (
        type(name, (_SimpleCData,), {"_type_": code})
        for name, code in (
            ("c_char", "c"),
            ("c_char_p", "z"),
            ("c_double", "d"),
            ("c_float", "f"),
            ("c_int", "i"),
            ("c_uint", "I"),
            ("c_ulong", "L"),
            ("c_ushort", "H"),
            ("c_void_p", "P"),
        )
    )
    c_size_t = c_ulong

    class CDLL:
        """ctypes.CDLL's loading and function lookup (a missing function: AttributeError)."""

        _flags = FUNCFLAG_CDECL

        def __init__(self, path: str) -> None:
            class Function(CFuncPtr):
                _flags_ = self._flags
                _restype_ = c_int

            self._Function = Function
            self._handle = dlopen(path, RTLD_LOCAL)

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            fn = self[name]
            setattr(self, name, fn)
            return fn

        def __getitem__(self, name: str) -> Any:
            fn = self._Function((name, self))
            fn.__name__ = name
            return fn

    class PyDLL(CDLL):
        """ctypes.PyDLL: its functions keep the GIL."""

        _flags = FUNCFLAG_CDECL | FUNCFLAG_PYTHONAPI


LOCK = _thread.RLock()

# FPDF_GetLastError
ERR_PASSWORD = 4
ERR_SECURITY = 5
# FPDFPageObj_GetType
OBJ_TEXT, OBJ_PATH, OBJ_IMAGE, OBJ_SHADING, OBJ_FORM = 1, 2, 3, 4, 5
# FPDFPathSegment_GetType
SEG_LINETO, SEG_BEZIERTO, SEG_MOVETO = 0, 1, 2


class Unavailable(ImportError):
    """The pdfium library is not installed (the ``pdf`` extra)."""


class _Ptr(c_void_p):
    """A handle ctypes hands back as it is (a subclass of c_void_p is not converted to an int), so it can
    be passed to a function declared without argtypes."""


_P = c_void_p
# FS_MATRIX (a, b, c, d, e, f) and FS_RECTF (left, top, right, bottom) are passed as arrays of C floats.
_SIGNATURES: dict[str, tuple[Any, tuple[Any, ...]]] = {
    "FPDF_InitLibrary": (None, ()),
    "FPDF_LoadMemDocument64": (_P, (_P, c_size_t, c_char_p)),
    "FPDF_GetLastError": (c_ulong, ()),
    "FPDF_CloseDocument": (None, (_P,)),
    "FPDF_GetPageCount": (c_int, (_P,)),
    "FPDF_LoadPage": (_P, (_P, c_int)),
    "FPDF_ClosePage": (None, (_P,)),
    "FPDFPage_GetMediaBox": (c_int, (_P, POINTER(c_float), POINTER(c_float), POINTER(c_float), POINTER(c_float))),
    "FPDF_GetPageWidthF": (c_float, (_P,)),
    "FPDF_GetPageHeightF": (c_float, (_P,)),
    "FPDFPage_CountObjects": (c_int, (_P,)),
    "FPDFPage_GetObject": (_P, (_P, c_int)),
    "FPDFPageObj_GetType": (c_int, (_P,)),
    "FPDFPageObj_GetMatrix": (c_int, (_P, POINTER(c_float))),
    "FPDFPath_CountSegments": (c_int, (_P,)),
    "FPDFPath_GetPathSegment": (_P, (_P, c_int)),
    "FPDFPathSegment_GetPoint": (c_int, (_P, POINTER(c_float), POINTER(c_float))),
    "FPDFPathSegment_GetType": (c_int, (_P,)),
    "FPDFPathSegment_GetClose": (c_int, (_P,)),
    "FPDFFormObj_CountObjects": (c_int, (_P,)),
    "FPDFFormObj_GetObject": (_Ptr, (_P, c_ulong)),
    "FPDFText_LoadPage": (_P, (_P,)),
    "FPDFText_ClosePage": (None, (_P,)),
    "FPDFText_CountChars": (c_int, (_P,)),
    "FPDFText_GetText": (c_int, (_P, c_int, c_int, POINTER(c_ushort))),
    "FPDFText_GetUnicode": (c_uint, (_P, c_int)),
    "FPDFText_IsGenerated": (c_int, (_P, c_int)),
    "FPDFText_GetLooseCharBox": (c_int, (_P, c_int, POINTER(c_float))),
    "FPDFText_GetCharOrigin": (c_int, (_P, c_int, POINTER(c_double), POINTER(c_double))),
    "FPDFText_GetMatrix": (c_int, (_P, c_int, POINTER(c_float))),
    "FPDFText_GetTextObject": (_P, (_P, c_int)),
    "FPDFTextObj_GetFont": (_P, (_P,)),
    "FPDFTextObj_GetFontSize": (c_int, (_P, POINTER(c_float))),
    "FPDFFont_GetDescent": (c_int, (_P, c_float, POINTER(c_float))),
    "FPDFFont_GetBaseFontName": (c_size_t, (_P, c_char_p, c_size_t)),
}

# The functions called per character, object or path segment, declared without argtypes: a call
# then costs half as much (ctypes converts no argument). They take handles as _handle()s or c_void_p
# (or _Ptr) objects, indices as ints (a C int) and byref()s, nothing else.
_FAST: dict[str, Any] = {
    "FPDFText_IsGenerated": c_int,
    "FPDFText_GetLooseCharBox": c_int,
    "FPDFText_GetMatrix": c_int,
    "FPDFText_GetTextObject": c_void_p,  # an int (a dict key) or None
    "FPDFTextObj_GetFontSize": c_int,
    "FPDFTextObj_GetFont": c_void_p,  # an int (a dict key) or None
    "FPDFPage_GetObject": _Ptr,
    "FPDFPageObj_GetType": c_int,
    "FPDFPageObj_GetMatrix": c_int,
    "FPDFPath_GetPathSegment": _Ptr,
    "FPDFPathSegment_GetPoint": c_int,
    "FPDFPathSegment_GetType": c_int,
    "FPDFPathSegment_GetClose": c_int,
}

_lib: Any = None
fast: dict[str, Any] = {}  # _FAST's functions, once the library is loaded


def library() -> Any:
    """The loaded and initialised PDFium library (once per process)."""
    global _lib
    if _lib is not None:
        return _lib
    with LOCK:
        if _lib is not None:
            return _lib
        path = _library_path()
        lib = CDLL(path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            fn = getattr(lib, name, None)
            if fn is None:  # a PDFium older than the one pypdfium2 5 ships
                raise Unavailable(f"pypdfium2 ({name})")
            fn.restype = restype
            fn.argtypes = argtypes
        # The same library again (dlopen hands back the one loaded), as PyDLL: its functions keep the GIL,
        # which the short calls here are better off keeping than releasing and taking back (~15 % of a call).
        held = PyDLL(path)
        for name, restype in _FAST.items():
            fn = held[name]
            fn.restype = restype
            fast[name] = fn
        lib.FPDF_InitLibrary()
        _lib = lib
    return _lib


def _library_path() -> str:
    # The package's folder as importlib.util.find_spec finds it (the module if imported, else the first
    # finder's spec), without importing the package (its __init__ binds every function) nor importlib.util
    # (≈ 0.8 ms of a cold run with contextlib).
    name = "pypdfium2_raw"
    spec = None
    try:
        if name in sys.modules:
            module = sys.modules[name]
            spec = None if module is None else module.__spec__  # None: its import is blocked
        else:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                spec = find(name, None) if find is not None else None
                if spec is not None:
                    break
    except (ImportError, ValueError, AttributeError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable("pypdfium2")
    for folder in spec.submodule_search_locations:
        for name in os.listdir(folder):
            if name.startswith(("libpdfium.", "pdfium.")) and name.rsplit(".", 1)[-1] in ("so", "dylib", "dll"):
                return os.path.join(folder, name)
    raise Unavailable("pypdfium2")


class OpenError(Exception):
    """PDFium could not open the file; ``code`` is FPDF_GetLastError's."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class PageContent:
    """What the reader uses of one page (pdfplumber's coordinates: ``top`` from the page's top edge)."""

    __slots__ = ("chars", "edges", "height", "images", "objects", "width")

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.objects = 0  # page objects, forms' contents included
        self.chars: list[Char] = []  # (text, x0, x1, top, bottom, upright): see pdftext
        self.edges: list[Edge] = []  # (orientation, x0, x1, top, bottom): see pdfgrid
        self.images = 0


class PdfDocument:
    """An open PDF. Use as a context manager; not shared between threads."""

    def __init__(self, data: bytes, descents: dict[bytes, float] | None = None) -> None:
        self.lib = library()
        self.descents = descents or {}  # font name -> descent (see font_descents)
        # The bytes themselves (PDFium only reads them, lazily: they are kept alive), not a copy of them.
        self._data = data if type(data) is bytes else bytes(data)
        self.handle = self.lib.FPDF_LoadMemDocument64(self._data, len(data), None)
        if not self.handle:
            raise OpenError(int(self.lib.FPDF_GetLastError()))
        self._loading: Any = None  # a lock held while another thread loads pages (see prefetch)
        self.loading_since: float | None = None  # time.monotonic() when that thread started
        self._loaded: dict[int, tuple[int, int | None]] = {}  # page index -> (page, text page or None)

    def prefetch(self, count: int, max_objects: int, budget: int, deadline: float) -> None:
        """Have another thread load pages 0 to ``count - 1`` and their text pages; return once it holds
        ``LOCK``.

        PDFium's parsing of pages is most of the C time a report costs, and it runs with the GIL
        released, so this thread can do other work meanwhile. The loading thread holds ``LOCK`` until it
        is done, so any other use of PDFium waits for it (call this without holding ``LOCK``); ``page()``
        and ``close()`` wait for it too.

        A text page is not made for a page of more than ``max_objects`` objects, which ``page()`` refuses
        before making one. The loading stops once the pages loaded hold more than ``budget`` objects and
        characters together (what they hold in memory at once, where ``page()`` holds one page; the
        objects of form XObjects are not counted: give no budget for a file that has them), at
        ``deadline`` (``time.monotonic()``) and at the first page PDFium cannot load; ``page()`` takes
        over from there as if there had been no prefetch."""
        if self._loading is not None or count <= 0:
            return
        # Holding LOCK, this thread would wait for the loading thread, which would wait for it.
        if LOCK._is_owned():  # type: ignore[attr-defined]
            raise RuntimeError("PdfDocument.prefetch() called while holding pdfium.LOCK")
        started, done = _thread.allocate_lock(), _thread.allocate_lock()
        started.acquire()
        done.acquire()
        self._loading = done
        self.loading_since = _monotonic()
        try:
            _thread.start_new_thread(self._load_pages, (count, max_objects, budget, deadline, started, done))
        except RuntimeError:  # no thread to be had: pages are loaded one by one, as without a prefetch
            self._loading = self.loading_since = None
            done.release()
            return
        with started:  # until the loading thread holds LOCK: no other use of PDFium can come first
            pass

    def _load_pages(self, count: int, max_objects: int, budget: int, deadline: float, started: Any, done: Any) -> None:
        lib, loaded, now = self.lib, self._loaded, _monotonic
        try:
            with LOCK:
                started.release()
                for index in range(count):
                    if budget < 0 or now() > deadline:
                        break
                    page = lib.FPDF_LoadPage(self.handle, index)
                    if not page:
                        break
                    text = None
                    objects = lib.FPDFPage_CountObjects(page)
                    budget -= objects
                    if objects <= max_objects:
                        text = lib.FPDFText_LoadPage(page) or None
                        if text:
                            budget -= lib.FPDFText_CountChars(text)
                    loaded[index] = (page, text)
        except BaseException:  # what is not loaded here is loaded by page(), which reports it
            pass
        finally:
            if started.locked():  # (released by this thread alone)
                started.release()
            done.release()

    def _wait(self) -> None:
        if self._loading is not None:
            with self._loading:
                self._loading = None

    def __enter__(self) -> PdfDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._wait()
        for page, text in self._loaded.values():  # loaded but not read (the reading stopped early)
            if text:
                self.lib.FPDFText_ClosePage(text)
            self.lib.FPDF_ClosePage(page)
        self._loaded.clear()
        if self.handle:
            self.lib.FPDF_CloseDocument(self.handle)
            self.handle = None

    def page_count(self) -> int:
        return int(self.lib.FPDF_GetPageCount(self.handle))

    def page(self, index: int, max_objects: int, max_chars: int) -> PageContent:
        """Page ``index`` (0-based). Raises ``TooMany(kind, n)`` past the object or character limit
        (checked before the characters are laid out)."""
        lib = self.lib
        self._wait()
        handle, text = self._loaded.pop(index, (None, None))
        if handle is None:
            handle = lib.FPDF_LoadPage(self.handle, index)
            if not handle:
                raise OpenError(int(lib.FPDF_GetLastError()))
        page = c_void_p(handle)
        try:
            x0, y0, x1, y1 = c_float(), c_float(), c_float(), c_float()
            if lib.FPDFPage_GetMediaBox(page, byref(x0), byref(y0), byref(x1), byref(y1)):
                left, bottom, top = min(x0.value, x1.value), min(y0.value, y1.value), max(y0.value, y1.value)
            else:  # the default media box: the page's size
                left, bottom, top = 0.0, 0.0, float(lib.FPDF_GetPageHeightF(page))
            content = PageContent(float(lib.FPDF_GetPageWidthF(page)), top - bottom)
            _graphics(lib, page, content, left, top, max_objects, max_chars)
            mine, text = text, None  # _chars closes it
            _chars(lib, page, mine, content, left, top, max_chars, self.descents)
            return content
        finally:
            if text:
                lib.FPDFText_ClosePage(text)
            lib.FPDF_ClosePage(page)


class TooMany(Exception):
    def __init__(self, kind: str, count: int) -> None:
        super().__init__(kind, count)
        self.kind = kind
        self.count = count


def _font_descent(lib: Any, font: int, descents: dict[bytes, float]) -> float:
    """A font's descent per unit of size, pdfminer's: its descriptor's in the file, else 0."""
    name = (c_char * 256)()
    got = lib.FPDFFont_GetBaseFontName(font, name, 256)
    key = name.value if 0 < got <= 256 else b""
    if key in descents:
        return descents[key]
    # not found in the file (a standard font): PDFium's own metrics
    out = c_float()
    return -abs(out.value) if lib.FPDFFont_GetDescent(font, 1.0, byref(out)) else 0.0


_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/\[\]<>()%]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?\d*\.?\d+)")


def font_descents(sources: list[bytes]) -> dict[bytes, float]:
    """Each font descriptor's /Descent (per unit of font size, made negative as pdfminer does),
    by font name, from the file's bytes and its decoded object streams."""
    out: dict[bytes, float] = {}
    for data in sources:
        found = list(_FONT_NAME.finditer(data))
        for k, m in enumerate(found):
            start = found[k - 1].end() if k else max(0, m.start() - 2000)
            end = found[k + 1].start() if k + 1 < len(found) else m.end() + 2000
            lo = data.rfind(b"endobj", start, m.start())
            hi = data.find(b"endobj", m.end(), end)
            window = data[lo + 6 if lo >= 0 else start : hi if hi >= 0 else end]
            d = _DESCENT.search(window)
            out.setdefault(m.group(1), -abs(float(d.group(1))) / 1000 if d else 0.0)
    return out


def _chars(
    lib: Any,
    page: Any,
    text: int | None,
    content: PageContent,
    left: float,
    top: float,
    limit: int,
    descents: dict[bytes, float],
) -> None:
    """The page's characters into ``content``, from its text page ``text`` if loaded (closed here)."""
    if not text:
        text = lib.FPDFText_LoadPage(page)
    if not text:
        return
    try:
        n = int(lib.FPDFText_CountChars(text))
        if n <= 0:
            return
        if n > 2 * limit + 1000:  # generated spaces and line ends come on top of the real characters
            raise TooMany("chars", n)
        buf = (c_ushort * (n + 1))()
        got = lib.FPDFText_GetText(text, 0, n, buf)
        units = bytes(buf)[: max(got - 1, 0) * 2]
        decoded = utf_16_le_decode(units, "replace", True)[0]  # the codec's C function: no codec lookup
        if len(decoded) != n:  # characters outside the BMP: one at a time
            decoded = "".join(chr(lib.FPDFText_GetUnicode(text, i)) for i in range(n))
        # The box and the matrix are read through memoryviews of their floats: an index is a fraction
        # of the cost of a ctypes field (the values are the same: a C float as a Python float).
        box = (c_float * 4)()  # FS_RECTF: left, top, right, bottom
        m = (c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
        size_buf = c_float()
        box_ref, m_ref, size_ref = byref(box), byref(m), byref(size_buf)  # made once: a byref() costs a call
        box_floats, m_floats = _floats(box), _floats(m)
        handle = _handle(text)
        at_address = c_char.from_address
        get_box, get_matrix = fast["FPDFText_GetLooseCharBox"], fast["FPDFText_GetMatrix"]
        generated, get_object = fast["FPDFText_IsGenerated"], fast["FPDFText_GetTextObject"]
        get_size, get_font = fast["FPDFTextObj_GetFontSize"], fast["FPDFTextObj_GetFont"]
        # A text object's characters share its matrix (PDFium gives each the object's text matrix, times
        # its form's), font size and font: their top, bottom and uprightness are the object's. They come
        # one after another: the place is worked out again where the object changes.
        last = None  # the object whose place is held (never None or 0)
        place_top = place_bottom = 0.0
        upright = True
        fonts: dict[int, float] = {}  # font -> descent
        chars = content.chars
        append = chars.append
        for i, ch in enumerate(decoded):
            if ch in " \r\n\x00\ufffe":
                if generated(handle, i):
                    # PDFium's own spaces and line ends, which pdfminer does not have. (PDFium also puts its
                    # own space in place of some real ones, which pdfminer keeps: see the module's notes.)
                    continue
                if ch in "\x00\ufffe":
                    ch = ""
            if not get_box(handle, i, box_ref):
                continue
            key = get_object(handle, i)  # an int, or None
            if not key or key != last:
                get_matrix(handle, i, m_ref)
                a, b, c, d, _, f = m_floats.tolist()
                # The object's font size and its font's descent (no object or size: 0 and 0).
                size = descent = 0.0
                obj = byref(at_address(key)) if key else None  # _handle(key), inlined
                if obj is not None and get_size(obj, size_ref):
                    size = size_buf.value
                    font = get_font(obj)
                    if font:
                        known = fonts.get(font)
                        if known is None:
                            known = fonts[font] = _font_descent(lib, font, descents)
                        descent = known
                # pdfminer's box: from the descent below the baseline, one font size high, through the matrix.
                low = f + d * descent * size
                high = f + d * (descent + 1.0) * size
                if low > high:
                    low, high = high, low
                place_top, place_bottom, upright = top - high, top - low, a * d > 0 and b * c <= 0
                last = key
            append((ch, box_floats[0] - left, box_floats[2] - left, place_top, place_bottom, upright))
        if len(chars) > limit:  # the same count as stopping at the first one too many: n is bounded above
            raise TooMany("chars", limit + 1)
    finally:
        lib.FPDFText_ClosePage(text)


def _graphics(lib: Any, page: Any, content: PageContent, left: float, top: float, limit: int, chars: int) -> None:
    """Count the page's objects and images; turn its paths into pdfplumber's edges. More than ``chars``
    text objects are too many characters: each shows at least one (pdfminer counts them all)."""
    get_object, get_type = fast["FPDFPage_GetObject"], fast["FPDFPageObj_GetType"]
    texts = 0
    n = int(lib.FPDFPage_CountObjects(page))
    handle = _handle(page.value)
    content.objects = n
    if n > limit:  # too many objects; say "characters" if that is what they are
        for i in range(n):
            texts += get_type(get_object(handle, i)) == OBJ_TEXT
            if texts > chars:
                raise TooMany("chars", texts)
        raise TooMany("objects", n)
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    # (form or None, next index, count, matrix): a form's objects are visited where it is drawn.
    stack: list[tuple[Any, int, int, tuple[float, ...]]] = [(None, 0, n, identity)]
    m = (c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
    m_ref, m_floats = byref(m), _floats(m)
    get_matrix = fast["FPDFPageObj_GetMatrix"]
    while stack:
        form, start, count, outer = stack.pop()
        for i in range(start, count):
            obj = get_object(handle, i) if form is None else lib.FPDFFormObj_GetObject(form, i)
            if not obj:
                continue
            kind = get_type(obj)
            if kind == OBJ_TEXT:
                texts += 1
                if texts > chars:
                    raise TooMany("chars", texts)
            elif kind == OBJ_PATH:
                get_matrix(obj, m_ref)
                _path_edges(lib, obj, _compose(tuple(m_floats), outer), content.edges, left, top)
            elif kind == OBJ_IMAGE:
                content.images += 1
            elif kind == OBJ_FORM:
                inner = int(lib.FPDFFormObj_CountObjects(obj))
                content.objects += max(inner, 0)
                if content.objects > limit:
                    raise TooMany("objects", content.objects)
                get_matrix(obj, m_ref)
                stack.append((form, i + 1, count, outer))  # the rest of this list, after the form's
                stack.append((obj, 0, inner, _compose(tuple(m_floats), outer)))
                break


def _handle(address: int) -> Any:
    """A handle (an address) to pass to the functions without argtypes, made once and passed as it is.

    The reference to the memory at an address is that address. ctypes passes it as it is at each
    call, where a c_void_p would be converted again (a lookup and an object per call)."""
    return byref(c_char.from_address(address))


def _floats(array: Any) -> memoryview[float]:
    """A C float array's memory as Python floats (ctypes' own "<f" format reads as none; bytes cast to "f" do)."""
    return memoryview(array).cast("B").cast("f")


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix ``inner`` then ``outer`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _path_edges(lib: Any, obj: Any, matrix: tuple[float, ...], edges: list[Edge], left: float, top: float) -> None:
    """A path's segments as pdfminer sees them (lines, rectangles, curves), then as pdfplumber's edges."""
    a, b, c, d, e, f = matrix
    x, y = c_float(), c_float()
    x_ref, y_ref = byref(x), byref(y)
    get_segment, get_point = fast["FPDFPath_GetPathSegment"], fast["FPDFPathSegment_GetPoint"]
    get_type, get_close = fast["FPDFPathSegment_GetType"], fast["FPDFPathSegment_GetClose"]
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    n = int(lib.FPDFPath_CountSegments(obj))
    start: tuple[float, float] | None = None
    bezier = 0
    for i in range(n):
        seg = get_segment(obj, i)
        if not seg or not get_point(seg, x_ref, y_ref):
            continue
        kind = get_type(seg)
        px, py = x.value, y.value
        pt = (a * px + c * py + e - left, top - (b * px + d * py + f))
        if kind == SEG_MOVETO:
            _subpath(shape, pts, edges)
            shape, pts, start, bezier = ["m"], [pt], pt, 0
        elif kind == SEG_BEZIERTO:
            bezier += 1
            if bezier == 3:  # a Bézier segment is three points: two controls, then its end
                shape.append("c")
                pts.append(pt)
                bezier = 0
        else:
            shape.append("l")
            pts.append(pt)
        if get_close(seg) and start is not None:
            shape.append("h")
            pts.append(start)
    _subpath(shape, pts, edges)


def _subpath(shape_list: list[str], pts: list[tuple[float, float]], edges: list[Edge]) -> None:
    """One subpath as pdfminer's paint_path classifies it, and its edges as pdfplumber makes them."""
    if not shape_list:
        return
    shape = "".join(shape_list)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        (x0, t0), (x1, t1) = pts[0], pts[1]
        edges.append(("h" if t0 == t1 else "v", min(x0, x1), max(x0, x1), min(t0, t1), max(t0, t1)))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and (
            (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        ):
            lo, hi = min(x0, x2), max(x0, x2)
            t, bt = min(y0, y2), max(y0, y2)
            edges.append(("h", lo, hi, t, t))
            edges.append(("h", lo, hi, bt, bt))
            edges.append(("v", lo, lo, t, bt))
            edges.append(("v", hi, hi, t, bt))
            return
    for (x0, t0), (x1, t1) in itertools.pairwise(pts):
        orientation = "v" if x0 == x1 else ("h" if t0 == t1 else "")
        if orientation:
            edges.append((orientation, min(x0, x1), max(x0, x1), min(t0, t1), max(t0, t1)))
