"""Pairing double quotation marks within a paragraph (the analysis behind the `quotes` kind).

Machine translation from French and Spanish emits quotation marks as loose tokens and
detokenises them wrongly: ``” responnse “`` (reversed and padded), ``costs“,`` (a closer
printed as an opener), ``NATO, “he remarked`` (a closer that swallowed the space after it).

A mark's role comes first from its own surroundings: after a space or an opening bracket
and before a word it opens; after a word or punctuation and before a space or punctuation
it closes; a curly mark's shape says the same. Where every mark's surroundings agree and
the marks nest (`"to "lock down" all"`, which many sites print for an inner quotation),
that reading stands and nothing moves. Only where they do not (a curly mark whose shape and
position disagree, a mark padded on both sides) are the marks paired in order, the n-th
opening and the (n+1)-th closing, and repaired where the evidence agrees with that order.
Straight marks carry no direction, so order alone never moves them: only the tokenised
` " word " ` of machine output is repaired. Tools that straighten apostrophes leave
`the workers" pay`: such marks are set aside when the marks do not nest with them.

A paragraph that ends with an unclosed quotation is correct when the next paragraph
reopens it (the English convention for a quotation that runs over several paragraphs).
A paragraph whose marks cannot be paired with confidence gets a flag, never a rewrite.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import regex

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

OPEN, CLOSE, NEUTRAL = "open", "close", "neutral"

#: Spaces that may sit next to a mark and are removed or moved by a repair (French puts a
#: no-break or narrow no-break space inside guillemets). Never a line break.
HSPACE = " \t\u00a0\u202f\u2009"
#: Characters after which a mark is in opening position ("(“", "—“"), including markup
#: (`**“`, `<p>“`) so that a repair never pushes a space into it.
OPEN_BEFORE = "([{‘—–-/*_~>\u2018"
#: Characters before which a mark is in closing position ("”,", "”)", `”**`, `”</p>`).
CLOSE_AFTER = ",.;:!?)]}’…—–-/*_~<\u2019"
_DASHES = "—–-"
#: A foot-and-inch or minute-and-second measure: 5'11", 5’11”.
_MEASURE = regex.compile(r"\d['’′]\d+(?:\.\d+)?$")
_WORD_AFTER = regex.compile(r"[\p{L}\d][\p{L}\d’'\-]*")


@dataclass(frozen=True)
class MarkSet:
    """Which characters are double quotation marks, and how each one is shaped."""

    typographic: str = "“”„«»"  # paired with each other
    straight: str = '"'  # paired with each other; keeps its straight shape
    opening_shapes: str = "“„«"
    closing_shapes: str = "”»"
    low_openers: str = "„"  # in a paragraph with one of these, “ is a closer (German)
    english: tuple[str, str] = ("“", "”")
    attribution_verbs: frozenset[str] = frozenset()

    @property
    def all(self) -> str:
        return self.typographic + self.straight


@dataclass(slots=True)
class Mark:
    pos: int
    char: str
    straight: bool
    shape: str  # OPEN, CLOSE or NEUTRAL
    position: str  # OPEN, CLOSE or NEUTRAL, from the neighbouring characters

    def support(self, role: str) -> int:
        """How far this mark's own evidence agrees (+) or disagrees (-) with a role."""
        other = CLOSE if role == OPEN else OPEN
        return (self.shape == role) - (self.shape == other) + (self.position == role) - (self.position == other)


@dataclass(slots=True)
class QuotePair:
    opener: Mark
    closer: Mark
    #: Read from the marks' own surroundings: straight marks of such a pair are where the
    #: writer put them and are never moved (a stray space is the writer's, not MT's).
    local: bool = False


@dataclass
class Trouble:
    """Marks that cannot be paired with confidence: reported, never rewritten."""

    start: int
    end: int
    message: str
    at_end: bool = False  # a quotation left open at the very end of the document


@dataclass
class ParagraphQuotes:
    start: int
    end: int
    pairs: list[QuotePair] = field(default_factory=list)
    unclosed: Mark | None = None  # an opener continued by the next paragraph (left alone)
    #: Closers with no opener in this paragraph, repaired on their own: the end of a
    #: quotation opened in an earlier paragraph (`“Each of us... \n\n...cases ” said`).
    tails: list[Mark] = field(default_factory=list)
    #: In a paragraph that cannot be paired, curly marks that are closers whatever the
    #: pairing, because the attribution follows them (`want, ”he said`): repaired alone.
    anchored: list[Mark] = field(default_factory=list)
    #: Flags that do not stop the repairs of the paragraph's other marks: a closer whose
    #: opener is missing (`This happens everywhere”, she said.`).
    missing: list[Trouble] = field(default_factory=list)
    trouble: list[Trouble] = field(default_factory=list)


def _position(text: str, i: int, ps: int, pe: int) -> str:
    left = text[i - 1] if i > ps else None
    right = text[i + 1] if i + 1 < pe else None
    left_open = left is None or left.isspace() or left in OPEN_BEFORE
    right_close = right is None or right.isspace() or right in CLOSE_AFTER
    if left_open and not right_close:
        return OPEN
    if right_close and not left_open:
        return CLOSE
    return NEUTRAL


def _marks(
    doc: "Document", ps: int, pe: int, found: list[tuple[int, str]], marks: MarkSet, low_in_doc: bool = True
) -> tuple[list[Mark], list[Mark]]:
    """The paragraph's typographic and straight marks, measures (5'11") left out.

    This runs for every mark of every document, so `_position` is inlined: a paragraph's
    edge reads as a space on that side."""
    text = doc.text
    low_openers, straight_chars = marks.low_openers, marks.straight
    opening, closing = marks.opening_shapes, marks.closing_shapes
    all_marks = marks.all
    low = low_in_doc and bool(low_openers) and any(ch in low_openers for _, ch in found)
    typo: list[Mark] = []
    straight: list[Mark] = []
    for pos, ch in found:
        left = text[pos - 1] if pos > ps else " "
        if left in all_marks:  # `""`: the outer mark of two reads the character beyond
            j = pos - 1
            while j >= ps and text[j] in all_marks:
                j -= 1
            left = text[j] if j >= ps else " "
        # A measure ends in a digit right before the mark (or a final line break, which `$`
        # also matches before): test that character before running the search.
        if (left.isdigit() or left == "\n") and pos > ps and _MEASURE.search(text, max(ps, pos - 12), pos):
            continue
        right = text[pos + 1] if pos + 1 < pe else " "
        if right in all_marks:
            j = pos + 1
            while j < pe and text[j] in all_marks:
                j += 1
            right = text[j] if j < pe else " "
        left_open = left.isspace() or left in OPEN_BEFORE
        right_close = right.isspace() or right in CLOSE_AFTER
        position = OPEN if left_open and not right_close else CLOSE if right_close and not left_open else NEUTRAL
        if ch in straight_chars:
            if left.isdigit() and not right.isalnum() and len(straight) % 2 == 0:
                continue  # no quotation opens right after a number: 12" pipe, a 10" screen
            straight.append(Mark(pos, ch, True, NEUTRAL, position))
            continue
        if ch in opening and not (low and ch not in low_openers):
            shape = OPEN
        elif ch in closing or low:
            shape = CLOSE
        else:
            shape = NEUTRAL
        typo.append(Mark(pos, ch, False, shape, position))
    return typo, straight


def _word_before(text: str, i: int, ps: int) -> str:
    j = i
    while j > ps and (text[j - 1] in HSPACE or text[j - 1] in ",:"):
        j -= 1
    k = j
    while k > ps and (text[k - 1].isalnum() or text[k - 1] in "’'-"):
        k -= 1
    return text[k:j].lower()


#: Pronouns that may stand before the verb of an attribution: `” he said`.
_PRONOUNS = frozenset({"he", "she", "they", "we", "it", "i", "you"})
#: Words that start a new clause after a quotation rather than its attribution.
_CLAUSE_WORDS = frozenset({"and", "or", "but", "nor", "then", "so", "while", "which", "who", "whom", "that", "as",
                           "because", "when", "if", "where", "to", "of", "for", "with", "in", "on", "by", "from"})


def attribution_after(text: str, i: int, pe: int, verbs: frozenset[str], strict: bool = False) -> bool:
    """The words right after the mark at ``i`` (spaces only between) attribute a quotation:
    a verb of saying within three lower-case words (`” he said`, `” said the minister`,
    `”the agency quotes`), or a name and the verb (`” Putin said`). ``strict``: the verb
    comes first or after a pronoun (`“said in March`, `“he adds`), which is what makes an
    opening mark a closer."""
    j = i + 1
    while j < pe and text[j] in HSPACE:
        j += 1
    m = _WORD_AFTER.match(text, j, min(pe, j + 60))
    if not m:
        return False
    words, end = [m.group()], m.end()
    for w in _WORD_AFTER.finditer(text, end, min(pe, j + 60)):
        if len(words) == 3 or text[end:w.start()].strip(HSPACE):
            break  # three words, or punctuation ends the attribution: `” he said, adding`
        words.append(w.group())
        end = w.end()
    low = [w.lower() for w in words]
    if strict:
        return low[0] in verbs or (len(low) > 1 and low[0] in _PRONOUNS and low[1] in verbs)
    if low[0] in _CLAUSE_WORDS:
        return False  # `” and affirms`: a new clause of the sentence, not an attribution
    if words[0][:1].islower():
        return any(w in verbs for w in low)
    return len(low) > 1 and low[1] in verbs and words[0][1:].islower()


def _anchored_closer(text: str, m: Mark, ps: int, pe: int, marks: MarkSet, following: Mark | None = None) -> bool:
    """A curly mark that closes whatever the pairing says: it follows a word or the end of
    a clause and the attribution follows it (`want, ”he said`, `authorities, “said in`,
    `cases ” said`). Only the English marks: an opening shape counts (the mark MT prints
    for the closer) with the verb right after it, and not when the next mark (``following``)
    is a closer, which it may open (`the word “said” is overused`)."""
    if m.straight or m.pos <= ps or m.char not in marks.english:
        return False  # guillemets and German marks keep the pairing's word
    if m.shape != CLOSE and (m.char != marks.english[0] or (following is not None and following.shape == CLOSE)):
        return False
    k = m.pos
    while k > ps and text[k - 1] in HSPACE:
        k -= 1
    if k <= ps or not (text[k - 1].isalnum() or text[k - 1] in ",.!?…)"):
        return False
    return attribution_after(text, m.pos, pe, marks.attribution_verbs, strict=m.shape != CLOSE)


def _starts_with_opener(text: str, ps: int, pe: int, marks: MarkSet) -> bool:
    return ps < pe and text[ps] in marks.all and _position(text, ps, ps, pe) == OPEN


def _local_role(m: Mark) -> str | None:
    """The role a mark's own surroundings give it, or None when they give none or disagree.

    A straight mark has only its position; a typographic one its shape too. A curly mark
    whose shape and position disagree (`” word “`) is MT damage: only pairing tells it."""
    if m.straight:
        return m.position if m.position != NEUTRAL else None
    if m.shape == NEUTRAL:
        return m.position if m.position != NEUTRAL else None
    if m.position in (NEUTRAL, m.shape):
        return m.shape
    return None


#: After a letter, what a straightened apostrophe leaves inside a word: India"s, don"t.
_CONTRACTION = regex.compile(r"(?:s|t|d|m|ll|re|ve)(?![\p{L}\d])")


def _in_word_apostrophe(text: str, m: Mark, pe: int) -> bool:
    """A straight mark inside a word (`India"s`, `don"t`): an apostrophe straightened into a
    double mark by a tool, never a quotation mark."""
    i = m.pos
    return m.straight and i > 0 and text[i - 1].isalpha() and bool(_CONTRACTION.match(text, i + 1, pe))


def _maybe_apostrophe(text: str, m: Mark, pe: int) -> bool:
    """A straight mark that may stand for an apostrophe at a word's end: a possessive or a
    dropped letter before the next word (`the workers" pay`, `the States" exports`,
    `nothin" like`). Such marks are set aside only when the marks do not nest with them."""
    if _in_word_apostrophe(text, m, pe):
        return True
    i = m.pos
    if not m.straight or i == 0 or not text[i - 1].isalpha() or i + 2 >= pe or text[i + 1] != " ":
        return False
    nxt = text[i + 2]
    return nxt.islower() or (text[i - 1] == "s" and nxt.isalpha())


def _nest(ms: list[Mark], next_reopens: bool, ps: int, text: str) -> tuple[list[QuotePair], Mark | None] | None:
    """The marks read as nested quotations from their own evidence, or None."""
    stack: list[Mark] = []
    pairs: list[QuotePair] = []
    for m in ms:
        role = _local_role(m)
        if role is None and m.straight and not stack and (m.pos == ps or text[m.pos - 1] in HSPACE or text[m.pos - 1] in OPEN_BEFORE):
            role = OPEN  # ` " word`, `"...`: nothing is open, so this opens (a slip of spacing at most)
        if role == OPEN:
            stack.append(m)
        elif role == CLOSE and stack:
            pairs.append(QuotePair(stack.pop(), m, True))
        else:
            return None
    if not stack:
        return pairs, None
    if len(stack) == 1 and next_reopens:
        return pairs, stack[0]
    return None


def _pair_locally(
    text: str, ms: list[Mark], ps: int, pe: int, next_reopens: bool
) -> tuple[list[QuotePair], Mark | None] | None:
    """Pairs read from each mark's own evidence, nesting allowed (`"to "lock down" all"`,
    which sites print for an inner quotation), or None when some mark's role is unclear
    or the roles do not nest. A quotation left open is accepted when the next paragraph
    reopens it (a quotation over several paragraphs). Where the marks do not nest as
    they stand, straight marks that may be straightened apostrophes are set aside and
    the rest tried again."""
    found = _nest(ms, next_reopens, ps, text)
    if found is None and ms and ms[0].straight:
        rest = [m for m in ms if not _maybe_apostrophe(text, m, pe)]
        if len(rest) < len(ms):
            found = _nest(rest, next_reopens, ps, text) if rest else ([], None)
    return found


def _padded(text: str, m: Mark, ps: int, pe: int) -> bool:
    """A mark with a space on both sides (` " `): how MT tokenisation leaves it."""
    left = text[m.pos - 1] if m.pos > ps else "\n"
    right = text[m.pos + 1] if m.pos + 1 < pe else "\n"
    return left in HSPACE and right in HSPACE


def _pair_straight(text: str, ms: list[Mark], ps: int, pe: int, out: ParagraphQuotes) -> bool:
    """Straight marks whose own evidence does not settle them, paired in order.

    Straight marks carry no direction, so order is trusted only where nothing contradicts
    it, and a mark is moved only where its spacing is the tokenised ` " ` of machine
    output on both marks of the pair, or a closer spaced off the punctuation it ends
    (`the curve ".`). Anything else is a flag (a slip a person should look at)."""
    if len(ms) % 2:
        return False
    pairs = []
    for a, b in zip(ms[0::2], ms[1::2]):
        if a.position == CLOSE or b.position == OPEN:
            return False
        if not any(map(str.isalnum, text[a.pos + 1:b.pos])):
            return False
        loose = [m for m in (a, b) if m.position == NEUTRAL]
        if loose and not (
            (_padded(text, a, ps, pe) and _padded(text, b, ps, pe))
            or (loose == [b] and b.pos + 1 < pe and text[b.pos - 1] in HSPACE and text[b.pos + 1] in ".,;:!?")
        ):
            return False
        pairs.append(QuotePair(a, b))
    out.pairs.extend(pairs)
    return True


def _leading_closer(text: str, ms: list[Mark], ps: int, pe: int, marks: MarkSet) -> bool:
    """The paragraph's first curly mark closes (by shape and place, or by the attribution
    after it): the paragraph ends a quotation opened before it."""
    if not ms or ms[0].straight:
        return False
    m = ms[0]
    return _local_role(m) == CLOSE or _anchored_closer(text, m, ps, pe, marks, ms[1] if len(ms) > 1 else None)


def _pair_family(
    text: str, ms: list[Mark], ps: int, pe: int, next_reopens: bool, last_paragraph: bool, marks: MarkSet, out: ParagraphQuotes,
    continued: bool = False,
) -> None:
    if not ms:
        return
    if continued:
        out.tails.append(ms[0])
        ms = ms[1:]
        if not ms:
            return
    local = _pair_locally(text, ms, ps, pe, next_reopens)
    if local is not None:
        pairs, unclosed = local
        out.pairs.extend(pairs)
        if unclosed is not None:
            out.unclosed = unclosed
        return
    ms = [m for m in ms if not _in_word_apostrophe(text, m, pe)]
    if not ms:
        return
    if len(ms) % 2 and _local_role(ms[0]) == CLOSE:
        # The first mark closes a quotation never opened: flag where the opener is
        # missing (the mark itself is left as it is), and pair the others among themselves.
        out.missing.append(_missing_opener(text, ms[0], ps, pe, marks))
        ms = ms[1:]
        if not ms:
            return
    if len(ms) % 2:
        last = ms[-1]
        if last.support(OPEN) > 0 and last.position != CLOSE:
            if next_reopens:
                out.unclosed = last
                ms = ms[:-1]
            else:
                # Flag where the closing mark is missing: the paragraph's last word.
                tail = max(ps, pe - 1)
                while tail > ps and not text[tail - 1].isspace():
                    tail -= 1
                where = "at the end of the document" if last_paragraph else "and the next paragraph does not reopen it"
                out.trouble.append(Trouble(tail, pe, f"Quotation opened at “{_snippet(text, last.pos, pe)}” is never closed {where}", last_paragraph))
                _anchor(text, ms, ps, pe, marks, out)
                return
        else:
            odd = _odd_one_out(text, ms, ps, pe, marks)
            if odd is not None:
                start, end = _hugged(text, odd, ps, pe)
                context = text[max(ps, odd.pos - 25):min(pe, odd.pos + 26)]
                out.trouble.append(Trouble(start, end, f"Quotation mark that pairs with none of the others: “{context}”"))
            else:
                out.trouble.append(Trouble(ms[0].pos, ms[-1].pos + 1, "Odd number of quotation marks: cannot tell which opens and which closes"))
            _anchor(text, ms, ps, pe, marks, out)
            return
    if ms[0].straight:
        if not _pair_straight(text, ms, ps, pe, out):
            out.trouble.append(Trouble(ms[0].pos, ms[-1].pos + 1, "Straight quotation marks whose spacing does not say which opens and which closes"))
        return
    pairs, trouble = _in_order(text, ms, ps, pe, marks)
    if trouble is not None:
        out.trouble.append(trouble)
        _anchor(text, ms, ps, pe, marks, out)
        return
    out.pairs.extend(pairs)


def _in_order(text: str, ms: list[Mark], ps: int, pe: int, marks: MarkSet) -> tuple[list[QuotePair], Trouble | None]:
    """An even number of curly marks paired in order, each pair weighed on its marks' evidence."""
    pairs = []
    for a, b in zip(ms[0::2], ms[1::2]):
        if not any(map(str.isalnum, text[a.pos + 1:b.pos])):
            return pairs, Trouble(a.pos, b.pos + 1, "Quotation marks with no words between them")
        # Agreeing or weakly disagreeing evidence on both marks (support of at least -1,
        # tested first without computing it: only a mark whose shape and position both
        # disagree falls to -2), or a mirrored pair (` ” word “ `: both marks printed the
        # wrong way round) is a confident pairing.
        if not (a.shape == CLOSE and a.position == CLOSE) and not (b.shape == OPEN and b.position == OPEN):
            pairs.append(QuotePair(a, b))
            continue
        sa, sb = a.support(OPEN), b.support(CLOSE)
        ok = sa < 0 and sb < 0
        if not ok and sa >= 0:
            # A closer printed as an opener: `NATO, “he remarked.`
            ok = attribution_after(text, b.pos, pe, marks.attribution_verbs)
        elif not ok and sb >= 0:
            # An opener printed as a closer after the attribution: `he said” We will`
            ok = _word_before(text, a.pos, ps) in marks.attribution_verbs
        if not ok:
            return pairs, Trouble(a.pos, b.pos + 1, "Quotation marks that cannot be paired with confidence")
        pairs.append(QuotePair(a, b))
    return pairs, None


def _hugged(text: str, m: Mark, ps: int, pe: int) -> tuple[int, int]:
    """The mark with the word it hugs (`hand,”`, `“Not`): what a flag on it shows."""
    start, end = m.pos, m.pos + 1
    if m.position == OPEN:
        while end < pe and not text[end].isspace():
            end += 1
    else:
        while start > ps and not text[start - 1].isspace():
            start -= 1
    return start, end


def _odd_one_out(text: str, ms: list[Mark], ps: int, pe: int, marks: MarkSet) -> Mark | None:
    """In an odd number of curly marks, the one mark without which all the others pair with
    confidence, when exactly one does: the mark a person should look at."""
    if ms[0].straight or len(ms) > 15:
        return None
    found = [
        m for i, m in enumerate(ms)
        if _in_order(text, ms[:i] + ms[i + 1:], ps, pe, marks)[1] is None
        and not _anchored_closer(text, m, ps, pe, marks, ms[i + 1] if i + 1 < len(ms) else None)  # explained by its attribution
    ]
    return found[0] if len(found) == 1 else None


def _missing_opener(text: str, m: Mark, ps: int, pe: int, marks: MarkSet) -> Trouble:
    """Where the opening mark of a quotation closed at ``m`` is missing. Before an
    attribution (`job," said Illa`) the quotation is the whole statement from the
    paragraph's start: the flag is on the first word. Otherwise (`called for wisdom”,
    “unity”`) it is on the word the mark closes."""
    j = m.pos + 1
    if j < pe and text[j] == ",":
        j += 1
    snippet = text[max(ps, m.pos - 30):m.pos + 1]
    if attribution_after(text, j - 1, pe, marks.attribution_verbs):
        first = _WORD_AFTER.search(text, ps, m.pos)
        if first:
            return Trouble(first.start(), first.end(), f"Quotation closed at “…{snippet}” but never opened: its opening mark is missing")
    k = m.pos
    while k > ps and text[k - 1] in HSPACE:
        k -= 1
    start = k
    while start > ps and not text[start - 1].isspace():
        start -= 1
    return Trouble(start, m.pos + 1, "Closing quotation mark with no opening mark before it: the opening mark is missing")


def _anchor(text: str, ms: list[Mark], ps: int, pe: int, marks: MarkSet, out: ParagraphQuotes) -> None:
    out.anchored.extend(
        m for i, m in enumerate(ms) if _anchored_closer(text, m, ps, pe, marks, ms[i + 1] if i + 1 < len(ms) else None)
    )


def _snippet(text: str, start: int, end: int, width: int = 30) -> str:
    s = text[start + 1:min(end, start + 1 + width)]
    return s + ("…" if start + 1 + width < end else "")


def analyse(doc: "Document", marks: MarkSet) -> list[ParagraphQuotes]:
    """Every paragraph that holds a double quotation mark, with its marks paired.

    Cached on the document, so the rules of a pack that share a `MarkSet` pair once."""
    cache = doc.__dict__.setdefault("_quote_analysis", {})
    if marks in cache:
        return cache[marks]
    text = doc.text
    found = _mark_positions(text, marks.all)
    result: list[ParagraphQuotes] = []
    if found:
        protected = doc.protected + doc.protected_words
        if protected:
            found = _unprotected(found, protected)
        paragraphs = doc.paragraphs
        starts = [s for s, _ in paragraphs]
        by_paragraph: dict[int, list[tuple[int, str]]] = {}
        # Marks and paragraphs are both in text order: look a paragraph up only when a
        # mark leaves the current one.
        ps = pe = 0
        bucket: list[tuple[int, str]] = []
        for item in found:
            pos = item[0]
            if not ps <= pos < pe:
                k = bisect.bisect_right(starts, pos) - 1
                if k < 0 or pos >= paragraphs[k][1]:
                    continue
                ps, pe = paragraphs[k]
                bucket = by_paragraph.setdefault(k, [])
            bucket.append(item)
        low_in_doc = any(c in text for c in marks.low_openers)
        read = {k: _marks(doc, *paragraphs[k], in_par, marks, low_in_doc) for k, in_par in by_paragraph.items()}
        continued = False
        for k, (typo, straight) in read.items():
            ps, pe = paragraphs[k]
            out = ParagraphQuotes(ps, pe)
            last = k + 1 == len(paragraphs)
            # Asked of every paragraph: an even count may still leave one open (`the Duchess"
            # spokesman said: "It is...` is an apostrophe and an opener).
            nxt = paragraphs[k + 1] if not last else (pe, pe)
            reopens = _starts_with_opener(text, nxt[0], nxt[1], marks)
            # ...or the next paragraph is the last of the quotation and only closes it.
            ends_next = not reopens and k + 1 in read and _leading_closer(text, read[k + 1][0], *nxt, marks)
            if typo:
                _pair_family(text, typo, ps, pe, reopens or ends_next, last, marks, out, continued)
            continued = bool(ends_next and out.unclosed is not None and not out.unclosed.straight)
            if straight:
                _pair_family(text, straight, ps, pe, reopens, last, marks, out)
            if typo and straight:  # a family's pairs follow each other: only two can cross
                out.pairs.sort(key=lambda p: p.opener.pos)
                crossing = _crossing(out.pairs)
                if crossing:
                    out.trouble.append(Trouble(crossing[0], crossing[1], "Straight and curly quotation marks interleave"))
            result.append(out)
    cache[marks] = result
    return result


def _unprotected(found: list[tuple[int, str]], spans: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """The marks outside every protected span (what `Document.is_protected` says of each
    one-character span), found by bisecting the marks once per span."""
    positions = [p for p, _ in found]
    dropped: set[int] = set()
    for s, e in spans:
        dropped.update(range(bisect.bisect_left(positions, s), bisect.bisect_left(positions, e)))
    if not dropped:
        return found
    return [item for i, item in enumerate(found) if i not in dropped]


def _crossing(pairs: list[QuotePair]) -> tuple[int, int] | None:
    """Two pairs that overlap without one containing the other (`“a "b” c"`)."""
    for x, y in zip(pairs, pairs[1:]):
        if y.opener.pos < x.closer.pos < y.closer.pos:
            return x.opener.pos, y.closer.pos + 1
    return None


def _mark_positions(text: str, chars: str) -> list[tuple[int, str]]:
    """(position, mark) of every one of ``chars`` in ``text``, in text order: what a scan
    for the character class finds, told by `str.find` per mark (about twice as fast as an
    `re` class scan: a text holds a few marks of two or three kinds)."""
    out: list[tuple[int, str]] = []
    for ch in dict.fromkeys(chars):
        i = text.find(ch)
        while i >= 0:
            out.append((i, ch))
            i = text.find(ch, i + 1)
    out.sort()
    return out


# -- repairs ------------------------------------------------------------------------

class MarkRepair(NamedTuple):
    """Replace [start, end) by ``after`` (a tuple: one is made for every mark)."""

    start: int
    end: int
    after: str


def opener_in_place(text: str, m: Mark, ps: int, pe: int, marks: MarkSet) -> bool:
    """True when `repair_opener` would give the mark back unchanged, told without building
    the repair: the English (or a straight) mark, no space after it, and before it a space,
    an opening bracket, another mark or an unspaced dash. False means: ask `repair_opener`."""
    if not (m.straight or m.char == marks.english[0]):
        return False
    if m.pos + 1 < pe and text[m.pos + 1] in HSPACE:
        return False
    before = text[m.pos - 1] if m.pos > ps else " "
    if not (before.isspace() or before in OPEN_BEFORE or before in marks.all or before in "’'"):
        return False
    return not (before in _DASHES and m.pos - 2 >= ps and text[m.pos - 2] == " ")


#: After a closing mark, the dash that Russian typography puts before the attribution:
#: `», — he said` (the match ends on the space before the attribution).
_DASH_ATTRIBUTION = regex.compile(r",?[ \u00a0]*[—–][ \u00a0]+|,?[ \u00a0]+-[ \u00a0]+")
#: English sets an attribution off with a dash too (`“reckless” — said one analyst —`):
#: the Russian form is told by the comma before the dash, or a question or exclamation
#: ending the quotation (`«Ready?» — he asked`).
_RUSSIAN_END = "?!…"


def _dash_follows(text: str, i: int, pe: int) -> bool:
    """Whether a dash follows ``i`` after an optional comma and spaces: what every match of
    `_DASH_ATTRIBUTION` there holds, told without a `regex` call (most closers are not
    followed by one)."""
    if i < pe and text[i] == ",":
        i += 1
    while i < pe and text[i] in " \u00a0":
        i += 1
    return i < pe and text[i] in "—–-"


def closer_in_place(text: str, m: Mark, ps: int, pe: int, marks: MarkSet) -> bool:
    """True when `repair_closer` would give the mark back unchanged (see `opener_in_place`)."""
    if not (m.straight or m.char == marks.english[1]):
        return False
    if not m.straight and _dash_follows(text, m.pos + 1, pe) and _DASH_ATTRIBUTION.match(text, m.pos + 1, pe):
        return False  # `”, — he said` may be Russian typography: `repair_closer` tells
    if m.pos > ps and text[m.pos - 1] in HSPACE:
        return False
    after = text[m.pos + 1] if m.pos + 1 < pe else " "
    if after.isalnum():
        return False
    return not (after in _DASHES and m.pos + 2 < pe and text[m.pos + 2] == " ")


def repair_opener(text: str, m: Mark, ps: int, pe: int, marks: MarkSet) -> MarkRepair:
    """An opener hugs the next word and has a space (or an opening bracket or dash) before it."""
    want = m.char if m.straight else marks.english[0]
    j = m.pos + 1
    while j < pe and text[j] in HSPACE:
        j += 1
    if j >= pe or text[j] in "\r\n":
        j = m.pos + 1  # nothing to hug on this line: leave the spaces
    before = text[m.pos - 1] if m.pos > ps else " "
    # No space between two marks: an inner mark hugs the outer one (“‘, "“).
    space = "" if before.isspace() or before in OPEN_BEFORE or before in marks.all or before in "’'" else " "
    if before in _DASHES and m.pos - 2 >= ps and text[m.pos - 2] == " ":
        space = " "  # a spaced dash is spaced on both sides: `critics – “the usual suspects”`
    return MarkRepair(m.pos, j, space + want)


def repair_closer(text: str, m: Mark, ps: int, pe: int, marks: MarkSet) -> MarkRepair:
    """A closer hugs the previous word or punctuation and has a space before a following word.

    Before an attribution (`” he said`), a quotation that ends in a word takes a comma
    inside the mark, which MT from Spanish and French drops when it misplaces the mark
    (`comfortable“he adds` -> `comfortable,” he adds`); Russian typography (`», — he
    said`) becomes the English `,” he said`. Only a curly mark being repaired gets this."""
    want = m.char if m.straight else marks.english[1]
    k = m.pos
    while k > ps and text[k - 1] in HSPACE:
        k -= 1
    if k <= ps or text[k - 1] in "\r\n":
        k = m.pos
    if not m.straight:
        comma = "," if k > ps and text[k - 1].isalnum() else ""
        dash = _DASH_ATTRIBUTION.match(text, m.pos + 1, pe)
        if dash and not dash.group().startswith(",") and not (k > ps and text[k - 1] in _RUSSIAN_END):
            dash = None
        if dash and attribution_after(text, dash.end() - 1, pe, marks.attribution_verbs):
            return MarkRepair(k, dash.end(), comma + want + " ")
        if comma and attribution_after(text, m.pos, pe, marks.attribution_verbs):
            after = text[m.pos + 1] if m.pos + 1 < pe else " "
            return MarkRepair(k, m.pos + 1, comma + want + (" " if after.isalnum() else ""))
    after = text[m.pos + 1] if m.pos + 1 < pe else " "
    space = " " if after.isalnum() else ""
    if after in _DASHES and m.pos + 2 < pe and text[m.pos + 2] == " ":
        space = " "
    return MarkRepair(k, m.pos + 1, want + space)


def balanced_pairs(text: str, marks: MarkSet = MarkSet()) -> int:
    """Well-formed pairs, summed over paragraphs: in each family of marks, an opening shape
    (or a straight mark) followed by a closing shape (or a straight mark).

    Deliberately blind to position and to the pairing above: the property tests use it to
    show that a repair never leaves a paragraph with fewer balanced pairs than it had."""
    total = 0
    for paragraph in regex.split(r"\n[ \t]*\n", text):
        for family in (marks.typographic, marks.straight):
            expecting_closer = False
            for ch in paragraph:
                if ch not in family:
                    continue
                if not expecting_closer and (ch in marks.opening_shapes or ch in marks.straight):
                    expecting_closer = True
                elif expecting_closer and (ch in marks.closing_shapes or ch in marks.straight):
                    total += 1
                    expecting_closer = False
    return total
