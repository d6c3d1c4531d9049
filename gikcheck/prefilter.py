"""Prefilters for pack patterns: what every match must contain, and where matches can start.

``analyse(pattern)`` reads a pattern (``regex`` syntax, version 0) and
returns its *need*: a string every match contains, or ``("all" | "any",
(needs …))``; and its *plan*: where in a text matches can start (see
``Plan``). ``holds(need, text)`` is False when the text cannot hold a match.
Both are exact in one direction only: a need that holds says nothing, one
that fails proves there is no match. Anything the analysis does not model
gives None (nothing known), never a wrong answer.
"""

from __future__ import annotations

from . import rx

# A need: a string the text must contain, or ("all" | "any", (needs …)).
Need = str | tuple


def holds(need: Need, text: str) -> bool:
    """False when ``text`` lacks what ``need`` requires."""
    global _found
    found = _found
    if found[0][0] is text:
        known = found[0][1]
    elif found[1][0] is text:
        known = found[1][1]
    else:
        known = {}
        _found = ((text, known), found[0])
    return _holds(need, text, known)


# Patterns share strings (年, 今后 …): each is looked for once per text. The last two texts (a
# report's source and shadow), each with {string: whether the text contains it}.
_found: tuple = ((None, {}), (None, {}))


def _holds(need: Need, text: str, known: dict[str, bool]) -> bool:
    if need.__class__ is str:
        has = known.get(need)
        if has is None:
            has = known[need] = need in text
        return has
    want = need[0] == "any"  # the verdict one item decides: any: a True; all: a False
    for item in need[1]:
        # Strings are tested inline: needs are mostly flat lists of them (a word list's has
        # dozens), and a call per string costs more than its cached answer.
        if item.__class__ is str:
            has = known.get(item)
            if has is None:
                has = known[item] = item in text
        else:
            has = _holds(item, text, known)
        if has is want:
            return want
    return not want


def prepare(need: Need | None) -> Need | None:
    """The need with its cheap tests first; None when it has more tests than a scan would cost."""
    if need is None or _size(need) > 512:
        return None
    return _cheap_first(need)


def _cheap_first(need: Need) -> Need | None:
    # A string's own characters are tested before it (``in`` on one character is a memchr), and
    # in a conjunction single characters before longer strings.
    if need.__class__ is str:
        return need if len(need) == 1 else ("all", (*dict.fromkeys(need), need))
    items = [_cheap_first(x) for x in need[1]]
    if need[0] == "any":
        return _any(items)
    flat = _all(items)
    if isinstance(flat, tuple) and flat[0] == "all":
        flat = ("all", tuple(sorted(flat[1], key=lambda x: len(x) if x.__class__ is str else 1 << 20)))
    return flat


def _size(need: Need) -> int:
    return len(need) + 1 if need.__class__ is str else sum(_size(x) for x in need[1])


def _all(items: list) -> Need | None:
    flat: list = []
    for item in items:
        if item is None:
            continue  # no constraint
        for x in item[1] if item.__class__ is tuple and item[0] == "all" else (item,):
            if x not in flat:
                flat.append(x)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else ("all", tuple(flat))


def _any(items: list) -> Need | None:
    flat: list = []
    for item in items:
        if item is None:
            return None  # one alternative needs nothing, so neither does the whole
        for x in item[1] if item.__class__ is tuple and item[0] == "any" else (item,):
            if x not in flat:
                flat.append(x)
    return flat[0] if len(flat) == 1 else ("any", tuple(flat))


# --- reading a pattern ------------------------------------------------------------------------


class _Unsupported(Exception):
    """A construct the analysis does not model: the pattern gets no prefilter."""


# At most this many characters of a class are tested one by one; a larger class constrains nothing.
_MAX_CLASS = 64
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_HEX = {"x": 2, "u": 4, "U": 8}
_UNKNOWN_CLASSES = "dDsSwWpP"  # escapes for sets the analysis does not enumerate
_ZERO_WIDTH = "bBAZ"
# Properties known to exist; another name might be a typo that compiling must report.
_PROPERTIES = frozenset({"Han", "L", "N", "P", "S", "Z", "Nd", "Lu", "Ll", "Latin"})


# Where matches can start, per branch of the pattern's top-level alternation: (whether the branch
# starts at a line start (``^``), strings one of which it matches as a whole top-level item, a
# reverse pattern for the longest text it can consume before that item, or None when nothing).
Plan = tuple


def analyse(pattern: str, multiline: bool = True) -> tuple[Need | None, Plan | None]:
    """What every match of ``pattern`` must contain, and where matches can start; None when unknown.

    Kept between runs with the compiled patterns (``rx.analysis``): a cold run analyses a hundred.
    """
    return rx.analysis(pattern, multiline, _analyse)


def analyse_prepared(pattern: str, multiline: bool = True) -> tuple[Need | None, Plan | None]:
    """``analyse`` with its need ``prepare``d, as the pattern classes use it (kept alike)."""
    return rx.analysis(pattern, multiline, _analyse_prepared)


def _analyse_prepared(pattern: str, multiline: bool) -> tuple[Need | None, Plan | None]:
    need, plan = _analyse(pattern, multiline)
    return prepare(need), plan


def _analyse(pattern: str, multiline: bool) -> tuple[Need | None, Plan | None]:
    """``analyse`` itself.

    A deliberately small parser: anything beyond literals, classes, groups,
    lookarounds, alternation and quantifiers (flags, back-references,
    conditionals, fuzzy matching, nested sets …) gives None, and so does a
    malformed pattern, whose error then surfaces when it is compiled.
    """
    try:
        parser = _Parser(pattern)
        need, _ = parser.alternation()
    except (_Unsupported, IndexError, ValueError):
        return None, None
    if parser.i != len(pattern):
        return None, None
    if all(items and items[0][1] for _, items in parser.top):
        return need, None  # every branch starts with a literal: the engine finds those as fast
    plan = []
    for begin, items in parser.top:
        options = [(anchors, _before(parser.atoms[begin:at])) for at, anchors, _ in items if anchors]
        if not options:
            return need, None
        # Fewest strings to look for, then the longest (the rarest, likely); the first of equals.
        anchors, prefix = min(options, key=lambda o: (len(o[0]), -min(map(len, o[0]))))
        plan.append((multiline and items[0][2], anchors, prefix))
    return need, tuple(plan)


def _before(atoms: list[list]) -> str | None:
    """A reverse pattern that matches, from where an anchor starts, at least as far back as any
    text the items before it can match: as many characters as the atoms under an unbounded
    quantifier take, and as many others as the bounded ones can take at most."""
    if not atoms:
        return None
    free = [src for src, most in atoms if most is None]
    bounded = [src for src, most in atoms if most is not None]
    x = "(?:" + "|".join(free) + ")*" if free else ""
    most = sum(m for _, m in atoms if m is not None)
    y = "(?:(?:" + "|".join(bounded) + ")" + x + "){0," + str(most) + "}" if bounded else ""
    return "(?r)" + x + y


class _Parser:
    __slots__ = ("p", "i", "depth", "look", "atoms", "top")

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.depth = 0  # group nesting
        self.look = 0  # lookaround nesting
        # The one-character atoms that consume text, in order: [source, how many times at most (None:
        # unbounded)]. Counting every alternative overestimates a length, which is safe here.
        self.atoms: list[list] = []
        self.top: list = []  # per top-level branch: (atoms before it, its items)

    def alternation(self) -> tuple[Need | None, bool]:
        """(need, whether every branch is a plain non-empty literal string)."""
        top = self.depth == 0
        branches = []
        while True:
            begin = len(self.atoms)
            need, pure, items = self.sequence()
            branches.append((need, pure))
            if top:
                self.top.append((begin, items))
            if self.i >= len(self.p) or self.p[self.i] != "|":
                break
            self.i += 1
        return _any([n for n, _ in branches]), all(pure for _, pure in branches)

    def sequence(self) -> tuple[Need | None, bool, list]:
        """(need, whether it is a plain literal string, its items: (atoms before, anchors, is ``^``))."""
        needs: list = []
        items: list = []
        run: list[str] = []  # adjacent literal characters: a string the match contains
        run_at = 0
        pure = True
        p = self.p
        while self.i < len(p) and p[self.i] not in "|)":
            at, caret = len(self.atoms), p[self.i] == "^"
            need, char, width, literals = self.atom()
            least, most = self.quantifier(width)
            if least is not None:
                for atom in self.atoms[at:]:
                    atom[1] = None if atom[1] is None or most is None else atom[1] * most
            if char is not None and least is None:
                run_at = run_at if run else at
                run.append(char)
                continue
            if run:
                needs.append("".join(run))
                items.append((run_at, (needs[-1],), False))
                run = []
            pure = False
            if least != 0:
                needs.append(need)
            items.append((at, literals if least is None else None, caret))
        if run:
            needs.append("".join(run))
            items.append((run_at, (needs[-1],), False))
        return _all(needs), pure and bool(needs), items

    def quantifier(self, width: bool) -> tuple[int | None, int | None]:
        """The least and most counts of a quantifier here (most None: unbounded); (None, 1) for none."""
        p, i = self.p, self.i
        if i >= len(p) or p[i] not in "*+?{":
            return None, 1
        if not width:
            raise _Unsupported  # a repeated assertion
        if p[i] == "{":
            close = p.index("}", i)
            lo, comma, hi = p[i + 1 : close].partition(",")
            if not (lo or hi) or not (lo.isdigit() or not lo) or not (hi.isdigit() or not hi):
                raise _Unsupported  # a literal brace or fuzzy matching
            if lo and hi and int(lo) > int(hi):
                raise _Unsupported
            least, i = int(lo or 0), close + 1
            most = int(hi) if hi else (None if comma else least)
        else:
            least, most, i = (0 if p[i] in "*?" else 1), (1 if p[i] == "?" else None), i + 1
        if i < len(p) and p[i] in "?+":
            i += 1  # lazy or possessive
        if i < len(p) and p[i] in "*+?{":
            raise _Unsupported
        self.i = i
        return least, most

    def atom(self) -> tuple[Need | None, str | None, bool, tuple[str, ...] | None]:
        """(need, the character when the atom is one literal character, whether it consumes text,
        the strings it matches when it is a group of plain literal alternatives)."""
        start = self.i
        c = self.p[self.i]
        self.i += 1
        if c == "(":
            return self.group()
        if c == "[":
            chars = self.char_class()
            self.consumed(start)
            return (None if chars is None else _any(sorted(chars))), None, True, None
        if c == "\\":
            need, char, width = self.escape()
            if width:
                self.consumed(start)
            return need, char, width, None
        if c == ".":
            self.consumed(start)
            return None, None, True, None
        if c in "^$":
            return None, None, False, None
        if c in "*+?{":
            raise _Unsupported  # nothing to repeat, or a literal brace
        self.consumed(start)
        return c, c, True, None

    def consumed(self, start: int) -> None:
        if not self.look:
            self.atoms.append([self.p[start : self.i], 1])

    def group(self) -> tuple[Need | None, None, bool, tuple[str, ...] | None]:
        p = self.p
        consumes, keep = True, True
        if p.startswith("?", self.i):
            rest = p[self.i + 1 : self.i + 3]
            if rest.startswith(":") or rest.startswith(">"):
                self.i += 2
            elif rest.startswith("=") or rest.startswith("!"):
                consumes, keep = False, rest[0] == "="
                self.i += 2
            elif rest in ("<=", "<!"):
                consumes, keep = False, rest[1] == "="
                self.i += 3
            elif rest == "P<":
                close = p.index(">", self.i)
                if not p[self.i + 3 : close].isidentifier():
                    raise _Unsupported
                self.i = close + 1
            else:
                raise _Unsupported  # flags, comments, named groups in other spellings, conditionals …
        self.depth += 1
        self.look += not consumes
        need, pure = self.alternation()
        self.depth -= 1
        self.look -= not consumes
        if self.i >= len(p) or p[self.i] != ")":
            raise _Unsupported
        self.i += 1
        # Plain alternatives: the group matches one of these strings (an anchor where it stands).
        literals = ((need,) if isinstance(need, str) else need[1]) if consumes and pure and need is not None else None
        # A positive lookaround's text is in the text too; a negative one's need not be.
        return (need if keep else None), None, consumes, literals

    def escape(self) -> tuple[Need | None, str | None, bool]:
        e = self.p[self.i]
        self.i += 1
        if e in _UNKNOWN_CLASSES:
            self.property(e)
            return None, None, True
        if e in _ZERO_WIDTH:
            return None, None, False
        c = self.literal_escape(e)
        return c, c, True

    def literal_escape(self, e: str) -> str:
        if e in _ESCAPED:
            return _ESCAPED[e]
        if e in _HEX:
            digits = self.p[self.i : self.i + _HEX[e]]
            if len(digits) != _HEX[e] or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise _Unsupported
            self.i += _HEX[e]
            return chr(int(digits, 16))
        if e.isascii() and e.isalnum():
            raise _Unsupported  # back-references, \N{…}, \G, \m … and anything unknown
        return e

    def property(self, e: str) -> None:
        """Skip the name after \\p or \\P."""
        if e in "pP":
            if not self.p.startswith("{", self.i):
                raise _Unsupported
            close = self.p.index("}", self.i)
            if self.p[self.i + 1 : close] not in _PROPERTIES:
                raise _Unsupported
            self.i = close + 1

    def char_class(self) -> frozenset[str] | None:
        """Members of a class; None when negated, too large or holding a set the analysis does not list."""
        p = self.p
        negated = p.startswith("^", self.i)
        self.i += negated
        if p.startswith("]", self.i):
            raise _Unsupported
        members: list[tuple[int, int]] = []
        known = not negated
        prev: str | None = None  # the last single character, the start of a possible range
        while True:
            c = p[self.i]
            self.i += 1
            if c == "]":
                break
            if c == "[" or (c in "-&|~" and p.startswith(c, self.i)):
                raise _Unsupported  # nested sets, set operations, POSIX classes
            if c == "-" and prev is not None and not p.startswith("]", self.i):
                hi = p[self.i]
                self.i += 1
                if hi == "\\":
                    esc = self.class_escape()
                    if esc is None:
                        raise _Unsupported
                    hi = esc
                elif hi == "[":
                    raise _Unsupported
                if ord(hi) < ord(prev):
                    raise _Unsupported
                members[-1] = (ord(prev), ord(hi))
                prev = None
                continue
            if c == "\\":
                esc = self.class_escape()
                if esc is None:
                    known, prev = False, None
                    continue
                c = esc
            members.append((ord(c), ord(c)))
            prev = c
        if not known or sum(hi - lo + 1 for lo, hi in members) > _MAX_CLASS:
            return None
        return frozenset(chr(o) for lo, hi in members for o in range(lo, hi + 1))

    def class_escape(self) -> str | None:
        """The character of an escape in a class; None for \\d, \\p{…} and the like."""
        e = self.p[self.i]
        self.i += 1
        if e in _UNKNOWN_CLASSES:
            self.property(e)
            return None
        if e in _ZERO_WIDTH:
            raise _Unsupported  # \b in a class is a backspace in some engines; not worth knowing
        return self.literal_escape(e)
