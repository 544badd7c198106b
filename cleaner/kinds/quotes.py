"""The `quotes` kind: pair double quotation marks per paragraph and repair what MT scrambles.

One analysis (`cleaner.quotemarks`), three jobs, chosen by the ``check`` option so that each
job is its own rule with its own category and level:

  check: marks     orientation and spacing of paired marks (`” word “` -> `“word”`), and
                   guillemets or German marks converted to “ ”
  check: pairing   paragraphs whose marks cannot be paired with confidence, and quotations
                   never closed (flag); ``end_of_document: exclude`` leaves out, and
                   ``only`` keeps only, a quotation left open at the very end of the
                   document (a cut excerpt looks the same: a rule of its own can ask
                   for more evidence with ``when: {translated: true}``)
  check: case      the French capital of a quoted fragment in mid-sentence
                   (`exchanges “Frank and direct” with` -> `“frank and direct”`)

Options (all lists of words are matched in lower case):
  marks              typographic double marks that pair with each other (default “”„«»)
  straight_marks     straight double marks, paired among themselves and kept straight
  opening_shapes, closing_shapes   which typographic marks look like openers / closers
  low_openers        German low opener; in its paragraph “ is a closer
  english            the two marks written out, opener then closer (default “”)
  attribution_verbs  said, added...: after them (with or without a comma) a quotation may be
                     a full sentence with its capital; also how a closer printed as an
                     opener is recognised (`NATO, “he remarked`)
  title_words        film, called, dubbed...: a quotation after them is a title or a name
  open_words         of, the, that...: the sentence is still open after them, so a
                     quotation right after them is a fragment
  comma_open_words   that, and, but...: the same after them and a comma
  doubtful_before    regexes for the text before an opener after which a capital needs a
                     person (`According to him, “The situation...`): flagged, not fixed
  quoted_words       words that, quoted on their own, are mentioned rather than used
                     (“Yes”, “No”) and keep their capital
  proper             words always written with a capital (besides the document's own
                     evidence and the project's ``people`` setting)
"""
from __future__ import annotations

import re
from typing import Iterator

import regex

from ..lexicon import dictionary_case
from ..model import Level
from ..quotemarks import (
    CLOSE, HSPACE, OPEN, MarkSet, ParagraphQuotes, QuotePair, analyse, closer_in_place, opener_in_place, repair_closer,
    repair_opener,
)
from .base import Kind, OptionError, compile_regex, choose

CHECKS = ("marks", "pairing", "case")
_WORDS = regex.compile(r"\p{L}[\p{L}\d’'\-]*")
_POSSESSIVE = regex.compile(r"[’']s$")
#: What ends a clause before a quotation (compiled once: this runs for most quotations).
_CLAUSE_BREAK = re.compile(r"[,;:.!?()“”\"]")
#: A quotation that ends its sentence inside the closing mark (`ready.”`)...
_FULL_SENTENCE_END = regex.compile(r"[.!?…]")
#: ...or right after it (`ready”.`), rather than running on (`hopeless” therefore`).
_STOP_AFTER = regex.compile(r"[.!?…](?:\s|$)")
_NAME_GOES_ON = regex.compile(r"[ \u00a0]+\p{Lu}\p{Ll}")  # the "West" Air Command
#: Words that turn what follows into indirect speech: `said that “the talks...` is a fragment.
_INDIRECT = frozenset({"that", "whether", "if"})
#: A lower-case word right after a closing mark (`” actress`).
_WORD_AFTER_CLOSER = regex.compile(r"[ \u00a0]+(\p{Ll}[\p{L}\-]*)")
#: Words that open a noun phrase: a quotation right after them may name what follows.
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your"})
#: Words after a quotation that carry the sentence on rather than being qualified by it.
_GOES_ON = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could",
                      "may", "might", "must", "should", "did", "does", "do", "not", "therefore", "however", "then",
                      "also", "too", "again", "now", "here", "there", "as", "said", "says"})
#: Words that join quotations in a list.
_LIST_WORDS = frozenset({"and", "or", "nor"})
#: Characters after which a word's capital says nothing about it (sentence or line start,
#: an opening mark, a list bullet).
_NO_EVIDENCE_AFTER = ".!?:;\n\r•–—-“‘\"'«„("


class QuotesKind(Kind):
    name = "quotes"
    OPTIONS = {
        "check": str,
        "end_of_document": str,
        "marks": str,
        "straight_marks": str,
        "opening_shapes": str,
        "closing_shapes": str,
        "low_openers": str,
        "english": str,
        "attribution_verbs": list,
        "title_words": list,
        "open_words": list,
        "comma_open_words": list,
        "doubtful_before": list,
        "proper": list,
        "quoted_words": list,
    }
    REQUIRED = ("check",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.check = choose(opts, "check", CHECKS)
        self.end_of_document = choose(opts, "end_of_document", ("include", "exclude", "only"), "include")
        english = opts.get("english", "“”")
        if len(english) != 2:
            raise OptionError("english", "'english' is two characters: the opening and the closing mark")
        for key in ("attribution_verbs", "title_words", "open_words", "comma_open_words", "doubtful_before", "proper", "quoted_words"):
            if not all(isinstance(w, str) and w for w in opts.get(key, [])):
                raise OptionError(key, f"'{key}' must be a list of non-empty strings")
        defaults = MarkSet()
        self.marks = MarkSet(
            typographic=opts.get("marks", defaults.typographic),
            straight=opts.get("straight_marks", defaults.straight),
            opening_shapes=opts.get("opening_shapes", defaults.opening_shapes),
            closing_shapes=opts.get("closing_shapes", defaults.closing_shapes),
            low_openers=opts.get("low_openers", defaults.low_openers),
            english=(english[0], english[1]),
            attribution_verbs=frozenset(w.lower() for w in opts.get("attribution_verbs", [])),
        )
        if not self.marks.all:
            raise OptionError("marks", "no quotation marks to pair")
        self.title_words = frozenset(w.lower() for w in opts.get("title_words", []))
        self.open_words = frozenset(w.lower() for w in opts.get("open_words", []))
        self.comma_open_words = frozenset(w.lower() for w in opts.get("comma_open_words", []))
        self.proper = frozenset(w.lower() for w in opts.get("proper", []))
        self.quoted_words = frozenset(w.lower() for w in opts.get("quoted_words", []))
        self.doubtful = [
            compile_regex(f"doubtful_before[{i}]", f"(?:{p})\\Z", regex.I) for i, p in enumerate(opts.get("doubtful_before", []))
        ]

    def find(self, doc) -> Iterator:
        paragraphs = analyse(doc, self.marks)
        if not paragraphs:
            return
        if self.check == "marks":
            yield from self._marks(doc, paragraphs)
        elif self.check == "pairing":
            for par in paragraphs:
                for t in par.missing + par.trouble:
                    if self.end_of_document != "include" and t.at_end != (self.end_of_document == "only"):
                        continue
                    yield self.rule.finding(doc, t.start, t.end, None, level=Level.FLAG, message=t.message)
        else:
            yield from self._case(doc, paragraphs)

    # -- orientation and spacing --------------------------------------------------------
    def _marks(self, doc, paragraphs: list[ParagraphQuotes]) -> Iterator:
        text = doc.text
        for par in paragraphs:
            ps, pe, marks = par.start, par.end, self.marks
            # Closers that stand alone: the end of a quotation opened in an earlier
            # paragraph, and (where the pairing fails) closers the attribution anchors.
            for m in par.tails + (par.anchored if par.trouble else []):
                if closer_in_place(text, m, ps, pe, marks):
                    continue  # only a misplaced closer is evidence enough for the comma too
                repair = repair_closer(text, m, ps, pe, marks)
                before = text[repair.start:repair.end]
                if before != repair.after:
                    yield self.rule.finding(doc, repair.start, repair.end, repair.after, message=self._why(before, CLOSE, False, repair.after))
            if par.trouble:
                continue
            # The opener of a quotation that the next paragraph goes on with (curly only:
            # a straight mark stays where the writer put it).
            u = par.unclosed
            if u is not None and not u.straight and not opener_in_place(text, u, ps, pe, marks):
                repair = repair_opener(text, u, ps, pe, marks)
                before = text[repair.start:repair.end]
                if before != repair.after:
                    yield self.rule.finding(doc, repair.start, repair.end, repair.after, message=self._why(before, OPEN, False))
            german = any(p.opener.char in self.marks.low_openers for p in par.pairs)
            for pair in par.pairs:
                if pair.local and pair.opener.straight:
                    continue  # straight marks read from their own evidence stay where they are
                # Most marks are in place: tell so without building their repair.
                if not opener_in_place(text, pair.opener, ps, pe, marks):
                    repair = repair_opener(text, pair.opener, ps, pe, marks)
                    before = text[repair.start:repair.end]
                    if before != repair.after:
                        yield self.rule.finding(doc, repair.start, repair.end, repair.after, message=self._why(before, OPEN, german))
                if not closer_in_place(text, pair.closer, ps, pe, marks):
                    repair = repair_closer(text, pair.closer, ps, pe, marks)
                    before = text[repair.start:repair.end]
                    if before != repair.after:
                        yield self.rule.finding(doc, repair.start, repair.end, repair.after, message=self._why(before, CLOSE, german, repair.after))

    def _why(self, before: str, role: str, german: bool, after: str = "") -> str:
        which = "opening" if role == OPEN else "closing"
        if after.startswith(",") and not before.startswith(","):
            return "A quotation followed by its attribution ends with a comma inside the closing mark (“...,” he said)"
        if any(d in before for d in "—–") or " - " in before:
            return "Russian typography (», — he said): English writes “...,” he said"
        mark = before.strip(HSPACE)
        if mark in "«»„" or (german and mark == "“"):
            return f"Foreign quotation mark {mark}: English uses “ ” with no space inside"
        if (role == OPEN and mark in self.marks.closing_shapes) or (role == CLOSE and mark in self.marks.opening_shapes):
            return f"The {which} quotation mark is printed the wrong way round"
        return f"Space on the wrong side of the {which} quotation mark"

    # -- capital of a quoted fragment ---------------------------------------------------
    def _case(self, doc, paragraphs: list[ParagraphQuotes]) -> Iterator:
        text = doc.text
        candidates: list[tuple[QuotePair, str, str]] = []  # pair, where, first word
        for par in paragraphs:
            if par.trouble:
                continue
            # The first words come first: where a quotation sits (the costlier question) is
            # only asked up to the last one that opens with a capital.
            # (the first test of `_capitalised_first` inline: most quotations open in lower case)
            firsts = [_capitalised_first(text, pair) if text[pair.opener.pos + 1].isupper() else None for pair in par.pairs]
            last = len(firsts) - 1
            while last >= 0 and firsts[last] is None:
                last -= 1
            if last < 0:
                continue
            if not all(self._clean(pair) for pair in par.pairs):
                continue  # marks are repaired first; the next pass judges the capitals
            seen: dict[int, str] = {}  # closer position -> where that quotation sat
            for pair, first in zip(par.pairs[:last + 1], firsts):
                where = self._context(text, pair, par, seen)
                seen[pair.closer.pos] = where
                if where not in ("mid", "doubtful") or first is None:
                    continue
                m, word = first
                if self._title_like(text, m.end(), pair.closer.pos):
                    continue
                if _NAME_GOES_ON.match(text, pair.closer.pos + 1):
                    continue  # the name goes on after the quotation: the "West" Air Command
                if self._names_a_thing(text, pair, par.start):
                    continue  # the former “Suits” actress, the “Zero deaths by 2030” strategy
                if m.end() == pair.closer.pos and word.lower() in self.quoted_words:
                    continue  # a word quoted as a word: “Yes” was the answer, then “No”
                candidates.append((pair, where, word))
        if not candidates:
            return
        # The document's own evidence, gathered in one scan for the candidate words only.
        forms = _mid_sentence_forms(doc, {_base(w).lower() for _, _, w in candidates})
        for pair, where, word in candidates:
            proper, sure = self._proper(doc, word, forms)
            if proper:
                continue
            first = pair.opener.pos + 1
            quote = text[pair.opener.pos:pair.closer.pos + 1]
            full_sentence = _FULL_SENTENCE_END.match(text, pair.closer.pos - 1) or _STOP_AFTER.match(text, pair.closer.pos + 1)
            if where == "doubtful":
                if full_sentence:
                    continue  # According to him, “The talks were useful.”
                yield self.rule.finding(
                    doc, pair.opener.pos, pair.closer.pos + 1, None, level=Level.FLAG,
                    message="Capital at the start of a quotation worked into the sentence: lower case if it is a fragment",
                )
                continue
            if _FULL_SENTENCE_END.match(text, pair.closer.pos - 1):
                continue  # a full sentence keeps its capital: urged people to “Stay home and save lives.”
            level = self.rule.level if sure else Level.SUGGEST
            yield self.rule.finding(
                doc, first, first + 1, word[0].lower(), level=level,
                message=f"Quoted fragment mid-sentence starts with a capital (French style): {quote}",
            )

    @staticmethod
    def _clean(pair: QuotePair) -> bool:
        """Only well-formed pairs are judged; the others are repaired first (next pass)."""
        o, c = pair.opener, pair.closer
        return o.shape != CLOSE and c.shape != OPEN and o.position == OPEN and c.position == CLOSE

    def _context(self, text: str, pair: QuotePair, par: ParagraphQuotes, seen: dict[int, str]) -> str:
        """Where the quotation sits: "mid" (inside a sentence), "doubtful", or "start"."""
        p = _skip_back(text, pair.opener.pos, par.start)
        if p <= par.start:
            return "start"
        # A quotation listed after another (`“significant costs”, “huge”`, `chanting “Shame”
        # and “Hands off”`) sits where the one before it sits.
        q = p
        before = ""  # the word right before the opener (looked up once)
        if text[q - 1] == ",":
            q = _skip_back(text, q - 1, par.start)
        else:
            before = _word_ending_at(text, p, par.start)
            if before.lower() in _LIST_WORDS:
                q = _skip_back(text, q - len(before), par.start)
        if q < p and q - 1 in seen:
            return "mid" if seen[q - 1] == "mid" else "start"
        c = text[p - 1]
        if c.isalnum():
            word = before.lower()
            if word in self.open_words:
                return "mid"  # of “..., the “...: only a fragment follows these
            if self._named_or_said(text, p, par.start):
                return "start"
            return "mid"
        if c != ",":
            return "start"
        word = _word_ending_at(text, q, par.start).lower()
        if word in self.comma_open_words:
            return "mid"
        head = text[max(par.start, p - 100):p]
        if any(d.search(head) for d in self.doubtful):
            return "doubtful"
        return "start"

    def _named_or_said(self, text: str, end: int, floor: int) -> bool:
        """A verb of saying or naming among the last few words of the clause (`told CNN “We`,
        `called the process “The Geneva track”`): the quotation may be a full sentence, a
        title or a name. Indirect speech (`said that`) ends the search."""
        clause = _CLAUSE_BREAK.split(text[max(floor, end - 60):end])[-1]
        for w in reversed(_WORDS.findall(clause)[-4:]):
            w = w.lower()
            if w in _INDIRECT:
                return False
            if w in self.marks.attribution_verbs or w in self.title_words:
                return True
        return False

    def _names_a_thing(self, text: str, pair: QuotePair, floor: int) -> bool:
        """A quotation between a determiner and a noun it qualifies is a name (a show, a
        plan, a nickname), whatever its case: `the former “Suits” actress`, `a “Zero
        waste” strategy`. Told by the word before (a determiner, or a determiner and one
        adjective) and a following lower-case word that does not carry the sentence on."""
        m = _WORD_AFTER_CLOSER.match(text, pair.closer.pos + 1)
        if not m or m.group(1).lower() in self.open_words or m.group(1).lower() in _GOES_ON:
            return False
        words = [w.lower() for w in _WORDS.findall(text[max(floor, pair.opener.pos - 40):pair.opener.pos])[-2:]]
        return bool(words) and (words[-1] in _DETERMINERS or (len(words) == 2 and words[0] in _DETERMINERS))

    @staticmethod
    def _title_like(text: str, start: int, end: int) -> bool:
        """A capitalised common word later in the quotation: a title (“Gone with the Wind”);
        or every later word capitalised but the small ones: a name (“West France”, a
        newspaper; “Black Lives Matter”), which a French fragment never is (“Frank and direct”)."""
        later = [m.group() for m in _WORDS.finditer(text, start, end)]
        for w in later:
            if w[0].isupper() and w != "I" and not w.isupper() and dictionary_case(w) in ("lower", "both"):
                return True
        return any(w[0].isupper() for w in later) and all(w[0].isupper() or w in _TITLE_SMALL_WORDS for w in later)

    def _proper(self, doc, word: str, forms: dict[str, set[str]]) -> tuple[bool, bool]:
        """(is a proper noun on the evidence, is the evidence clear)."""
        base = _base(word)
        key = base.lower()
        if base == "I" or base.startswith(("I’", "I'")) or key in self.proper or key in _people(doc):
            return True, True
        seen = forms.get(key, set())
        if seen == {"title"}:
            return True, True
        case = dictionary_case(base)
        if case == "title" or (case is None and not seen):
            return True, True  # a name the dictionary knows, or an unknown word: never guess
        return False, seen != {"title", "lower"}


# Words a title or a name leaves in lower case ("Ministry of Defence", "Gone with the Wind").
_TITLE_SMALL_WORDS = frozenset("a an and at by de del di du for from in la le of on or the to with y".split())


def _capitalised_first(text: str, pair: QuotePair):
    """The quotation's first word (match, word) when it starts with a capital and is not
    an acronym (NATO), a name such as McFaul or a letter (“Y”); else None."""
    first = pair.opener.pos + 1
    if first >= pair.closer.pos or not text[first].isupper():
        return None  # lower case already (a word's first letter is its first character)
    m = _WORDS.match(text, first, pair.closer.pos)
    if not m:
        return None
    word = m.group()
    if not word[0].isupper() or any(map(str.isupper, word[1:])) or len(word) == 1:
        return None
    return m, word


def _base(word: str) -> str:
    """The word without a possessive: Putin’s -> Putin."""
    return _POSSESSIVE.sub("", word)


def _skip_back(text: str, i: int, floor: int) -> int:
    while i > floor and text[i - 1] in HSPACE:
        i -= 1
    return i


def _word_ending_at(text: str, end: int, floor: int) -> str:
    k = end
    while k > floor and (text[k - 1].isalnum() or text[k - 1] in "’'-"):
        k -= 1
    return text[k:end]


def _people(doc) -> frozenset[str]:
    """Words of the names in the project's ``people`` setting (a list, or a mapping)."""
    cache = doc.__dict__.get("_quote_people")
    if cache is not None:
        return cache
    people = doc.settings.get("people") or []
    names: list[str] = []
    items = people.items() if isinstance(people, dict) else enumerate(people)
    for key, value in items:
        for v in (key, value) if isinstance(people, dict) else (value,):
            if isinstance(v, str):
                names.append(v)
            elif isinstance(v, dict) and isinstance(v.get("name"), str):
                names.append(v["name"])
    words = frozenset(w.lower() for n in names for w in _WORDS.findall(n))
    doc.__dict__["_quote_people"] = words
    return words


#: A word and its possessive, whole, in any case: one pattern per word, or one for all.
_WHOLE = r"(?<![\p{L}\d’'\-])(?:%s)(?:[’']s)?(?![\p{L}\d’'\-])"
#: A run of the characters that may neither precede nor follow a whole word in `_WHOLE`.
_WORD_CHARS = regex.compile(r"[\p{L}\d’'\-]+")
#: Up to this many words, one scan per word beats one scan for all (about 2 against 45
#: ms per MB: `regex` finds a single literal fast, even ignoring case).
_FEW_KEYS = 12
_KEY_PATTERNS: dict[str, regex.Pattern] = {}


def _whole_words(text: str, keys: set[str]) -> list[tuple[int, str]]:
    """Where each of ``keys`` (or its possessive) stands as a whole word, in any case.

    A key made of word characters only can only match a whole run of them, so the
    matches of separate scans never overlap, and their union (spans counted once) is
    what one scan with every key finds."""
    if len(keys) <= _FEW_KEYS and all(_WORD_CHARS.fullmatch(k) for k in keys):
        spans: dict[tuple[int, int], str] = {}
        for k in keys:
            pattern = _KEY_PATTERNS.get(k)
            if pattern is None:
                if len(_KEY_PATTERNS) > 10_000:  # a long batch must not grow without bound
                    _KEY_PATTERNS.clear()
                pattern = _KEY_PATTERNS[k] = regex.compile(_WHOLE % regex.escape(k), regex.I)
            for m in pattern.finditer(text):
                spans[m.span()] = m.group()
        return [(s, w) for (s, _), w in sorted(spans.items())]
    pattern = regex.compile(_WHOLE % r"\L<keys>", regex.I, keys=sorted(keys))
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def _mid_sentence_forms(doc, keys: set[str]) -> dict[str, set[str]]:
    """How each of ``keys`` is written where its case is evidence: mid-sentence, and not
    right after an opening quotation mark (the very capitals in question)."""
    forms: dict[str, set[str]] = {}
    text = doc.text
    for start, word in _whole_words(text, keys):
        if word.isupper() and len(word) > 1:
            continue  # ALL CAPS says nothing about a word's normal case
        i = start - 1
        while i >= 0 and text[i] in HSPACE:
            i -= 1
        if i < 0 or text[i] in _NO_EVIDENCE_AFTER or text[i] in "”»":
            continue
        forms.setdefault(_base(word).lower(), set()).add("title" if word[:1].isupper() else "lower")
    return forms
