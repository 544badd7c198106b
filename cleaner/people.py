"""Who a text mentions, and what it tells us of each person's gender.

Machine translation from languages that drop subjects guesses "he" for a woman; to repair
that we must know who is who. A `Cast` is the people one document mentions: full names
(with any title such as "US Deputy Secretary of State" split off), later surnames linked
back to the full name first mentioned ("Sherman" -> "Wendy Sherman"), and people we cannot
identify ("said Mykhailo"). Each person's gender is decided from, strongest first:

1. a people list (the project's ``people`` setting, then the shipped public figures);
2. evidence in the same document ("Ms Sherman", "Wendy Sherman and her counterpart");
3. the first-name table (never the surname: every lexicon calls "Sherman" male).

Conflicting evidence at one level, or between the document and the first-name table,
means unknown. What counts as a title, an honorific or evidence is configured in YAML by
the rule (`NameConfig`); this module only knows how to use it.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

GENDERS = ("she", "he")  # a person's gender as the pronoun used for them; "they": no rewrite
# A project's people list may say "female"/"male" as well as "she"/"he".
_PRONOUN_OF = {"female": "she", "f": "she", "woman": "she", "male": "he", "m": "he", "man": "he"}

_WORDS = regex.compile(r"[^ \u00a0]+")
_POSSESSIVE = regex.compile(r"[’']s?$")
_POSSESSIVE_ENDS = frozenset("’'s")  # the last characters of a word _POSSESSIVE can match
_WORD_AFTER = regex.compile(r"\W{0,3}(\w+)")


# -- data ------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def public_figures(name: str) -> dict[str, str]:
    """The shipped list of public figures (``cleaner/data/<name>``): full name -> pronoun."""
    from .cache import table

    return table(f"public_figures:{name}", lambda: _read_public_figures(name))


def _read_public_figures(name: str) -> dict[str, str]:
    import yaml

    text = resources.files("cleaner").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(k): str(v) for k, v in data.items()}


@lru_cache(maxsize=4)
def first_names(name: str) -> dict[str, str]:
    """The first-name table (``cleaner/data/<name>``): lower-case name -> "she" | "he"."""
    from .cache import table

    return table(f"first_names:{name}", lambda: _read_first_names(name))


def _read_first_names(name: str) -> dict[str, str]:
    text = resources.files("cleaner").joinpath(f"data/{name}").read_text(encoding="utf-8")
    out = {}
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            parts = line.split("\t")
            out[parts[0]] = "she" if parts[1] == "f" else "he"
    return out


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """English words in dictionary case (SCOWL, shared with the other rules): ``w.lower() in
    _dictionary()`` says whether ``w`` is a common word as well as a name. Remembered: it
    is asked for thousands of times a megabyte."""
    from .lexicon import english_words

    return english_words()


# -- configuration ---------------------------------------------------------------------

@dataclass(frozen=True)
class NameConfig:
    """Language knowledge for finding people, all from the rule's YAML options."""

    titles: frozenset[str]  # lower case: "deputy", "secretary", "minister", "president"...
    honorifics: dict[str, str]  # "Ms" -> "she", "Mr" -> "he"
    particles: frozenset[str]  # lower-case joiners inside names: "of", "von", "der", "bin"
    places: frozenset[str]  # countries, capitals, institutions: never a person
    attribution_verbs: frozenset[str]  # "said", "added": a lone name next to one is a speaker
    place_prepositions: frozenset[str]  # "in", "at": a lone name after one is a place
    evidence_after: tuple  # compiled patterns matched right after a name (groups: phrase, pronoun|noun)
    gendered_nouns: dict[str, str]  # "woman" -> "she", in apposition: "Close, the actress"
    pronoun_gender: dict[str, str]  # "her" -> "she", "his" -> "he"
    # Places only after "the" ("the West", "the Kremlin"); without it a surname ("Kanye West").
    article_places: frozenset[str] = frozenset()
    # Last words of names of bodies, parties and streets: "Puebla Group" is no one.
    organisation_words: frozenset[str] = frozenset()
    public_figures: str = "people.yaml"
    first_names: str = "first_names.txt"

    @property
    def run_pattern(self):
        return _run_pattern(tuple(sorted(self.particles)))

    @property
    def honorific_pattern(self):
        """ "Ms Sherman", "Mr. Riabkov": the match ends where the name starts."""
        return _honorific_pattern(tuple(sorted(self.honorifics)))


def config_key(config: NameConfig) -> str:
    """A text that two configurations share only when they find the same people: the
    key under which a document keeps its `Cast` for every rule configured alike."""
    fields = []
    for name in NameConfig.__dataclass_fields__:
        value = getattr(config, name)
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        elif isinstance(value, dict):
            value = sorted(value.items())
        elif name == "evidence_after":
            value = [(p.pattern, p.flags, sorted((k, sorted(v)) for k, v in p.named_lists.items())) for p in value]
        fields.append((name, value))
    return repr(fields)


@lru_cache(maxsize=8)
def _run_pattern(particles: tuple[str, ...]):
    """Capitalised words in a row, joined by spaces and by lower-case name particles."""
    word = r"\p{Lu}[\p{L}\p{M}’'\-]*"
    joiner = r"(?:\L<particles>)[ \u00a0]" if particles else "(?!)"
    return regex.compile(rf"(?<![\w’'\-]){word}(?:[ \u00a0](?:{joiner}){{0,2}}{word})*", particles=list(particles) or [""])


@lru_cache(maxsize=8)
def _honorific_pattern(honorifics: tuple[str, ...]):
    return regex.compile(r"(?<![\w’'\-])(\L<h>)\.?[ \u00a0]+(?=\p{Lu})", h=list(honorifics) or [""])


def capitalised_runs(doc: "Document", config: NameConfig) -> list:
    """The matches of the configuration's run pattern in the document, in order: one scan
    per document, shared by the cast and by `may_mention_gender`."""
    return doc.memo("people.runs:" + repr(sorted(config.particles)), lambda d: list(config.run_pattern.finditer(d.text)))


def may_mention_gender(doc: "Document", config: NameConfig, gender: str) -> bool:
    """Whether the document may name someone of ``gender`` ("she" or "he"): False only
    when no evidence `Cast` weighs could say so. A person's gender rests on evidence of
    it: the project's people list, the list of public figures (by full name or surname:
    either way the surname is a word of a capitalised run), an honorific ("Ms"), a phrase
    after a name ("and her", ", the actress": a pronoun or noun the vocabulary then
    holds) or a first name: the first word of a full name (not the last of its run) or a
    lone word no dictionary knows ("Wendy"; not "May", "Grace"). Over-admits."""
    settings = doc.settings.get("people") or {}
    if isinstance(settings, dict) and any(_PRONOUN_OF.get(str(v).lower(), str(v).lower()) == gender for v in settings.values()):
        return True
    cues = _gender_cues(config, gender)
    text = doc.text
    if any(h in text for h in cues.honorifics):
        return True
    # A pronoun or noun of the evidence phrases is a word of the vocabulary, unless a
    # character such as "²" glued it to another one there.
    if not doc.vocabulary.isdisjoint(cues.words) or (not text.isascii() and _OTHER_NUMBER.search(text)):
        return True
    runs = [m.group() for m in capitalised_runs(doc, config)]
    joined = " ".join(runs)
    joined += " " + _POSSESSIVE_WORD_END.sub("", joined)  # "Sherman’s": Sherman
    if not cues.surnames.isdisjoint(joined.split()):
        return True
    heads = " ".join([" ".join(r.split()[:-1]) for r in runs if " " in r or "\u00a0" in r]).lower().split()
    lowered = set(joined.lower().split())
    names, plain = cues.first_names, joined.isascii()
    if not names.isdisjoint(heads) or (not plain and any(_unaccented(w) in names for w in heads if not w.isascii())):
        return True
    dictionary = _dictionary()
    if any(w not in dictionary for w in names.intersection(lowered)):
        return True
    # "María": looked up as "maria" when the table lacks it
    return not plain and any(_unaccented(w) in names and w not in dictionary for w in lowered if not w.isascii())


@dataclass(frozen=True)
class _Cues:
    honorifics: frozenset[str]  # "Ms", "Mrs"
    words: frozenset[str]  # the evidence phrases' pronouns and nouns as a vocabulary holds them: "her", "Her", "actress"
    surnames: frozenset[str]  # last words of listed public figures: "Sherman"
    first_names: frozenset[str]  # lower case, as in the table and without accents: "wendy", "maria"


def _build_cues(config: NameConfig, gender: str) -> _Cues:
    words = set()
    for word, g in list(config.pronoun_gender.items()) + list(config.gendered_nouns.items()):
        if g == gender and word:
            words |= {word, word.lower(), word.upper(), word[:1].upper() + word[1:], "\u212a" + word[1:]}
    figures = public_figures(config.public_figures)
    firsts = first_names(config.first_names)
    return _Cues(
        honorifics=frozenset(h for h, g in config.honorifics.items() if g == gender),
        words=frozenset(words),
        surnames=frozenset(name.split()[-1] for name, g in figures.items() if _PRONOUN_OF.get(g.lower(), g.lower()) == gender),
        first_names=frozenset(_unaccented(k) for k, g in firsts.items() if g == gender) | frozenset(k for k, g in firsts.items() if g == gender),
    )


def _gender_cues(config: NameConfig, gender: str) -> _Cues:
    memo = _memo(config)
    cues = memo.cues.get(gender)
    if cues is None:
        cues = memo.cues[gender] = _build_cues(config, gender)
    return cues


# -- people ----------------------------------------------------------------------------

@dataclass
class Evidence:
    gender: str
    source: str  # "project people list" | "people list" | "document" | "people list (surname only)" | "first-name table"
    detail: str  # "'her Russian counterpart', line 18"


# Strongest first; the level a rewrite resting on that evidence may have.
STRENGTH = (
    ("project people list", "fix"),
    ("people list", "fix"),
    ("document", "fix"),
    ("people list (surname only)", "suggest"),
    ("first-name table", "suggest"),
)


@dataclass(eq=False)
class Person:
    """One person the document mentions (``known=False``: a lone name we cannot place)."""

    name: str
    known: bool = True
    evidence: list[Evidence] = field(default_factory=list)
    gender: str | None = None
    level: str = ""  # "fix" or "suggest", by the evidence the gender rests on
    why: str = ""

    def decide(self) -> None:
        """Take the strongest evidence; conflict within it, or between the document and
        the first-name table, leaves the gender unknown."""
        for source, level in STRENGTH:
            found = [e for e in self.evidence if e.source == source]
            if not found:
                continue
            genders = {e.gender for e in found}
            if source == "document":
                genders |= {e.gender for e in self.evidence if e.source == "first-name table"}
            if len(genders) != 1 or found[0].gender not in GENDERS:
                self.why = f"{self.name}: gender unknown (conflicting evidence)"
                return
            self.gender, self.level = found[0].gender, level
            word = "female" if self.gender == "she" else "male"
            self.why = f"{self.name}: {word}, from {found[0].detail}"
            return
        self.why = f"{self.name}: gender unknown"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    people: tuple[Person, ...]  # one person, or several when a shared surname is ambiguous

    @property
    def gender(self) -> str | None:
        if len(self.people) == 1:
            return self.people[0].gender
        genders = {p.gender for p in self.people}
        return genders.pop() if len(genders) == 1 else None


class Cast:
    """The people of one document and where each is mentioned, in document order."""

    def __init__(self, doc: "Document", config: NameConfig, regions: list[tuple[int, int]] | None = None):
        """``regions``: sorted spans where lone names matter (around pronouns); elsewhere a
        lone word is looked at only if it is the surname of a full name (for its evidence)."""
        self.doc, self.config = doc, config
        self._regions = regions
        self._region_starts = [s for s, _ in regions] if regions is not None else []
        self.people: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        settings = doc.settings.get("people") or {}
        self._project = {str(k): _PRONOUN_OF.get(str(v).lower(), str(v).lower()) for k, v in settings.items()} if isinstance(settings, dict) else {}
        self._listed = public_figures(config.public_figures)
        self._firsts = first_names(config.first_names)
        self._memo = _memo(config)
        self._from_lists: dict[str, int] = {}  # people made by `_person` -> how much evidence the lists gave
        self._find()
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def last_before(self, pos: int) -> Mention | None:
        """The last mention that starts before ``pos``."""
        i = bisect.bisect_left(self._starts, pos)
        return self.mentions[i - 1] if i else None

    def between(self, start: int, end: int) -> list[Mention]:
        """Mentions that start in [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return self.mentions[i:j]

    # -- finding names -----------------------------------------------------------------
    def _find(self) -> None:
        # Lone words `_add_lone_names` would pass over are left out of the runs, unless the
        # project's list or a full name in the document makes one of them a surname.
        full, singles, settled = self._runs(every_word=bool(self._project))
        surnames = self._add_full_names(full)
        if settled:
            listed = _listed_surnames(self.config.public_figures)
            if any(self._never_a_mention(w, listed) for w in surnames):
                # Every lone word after all, in document order: a run gives at most one,
                # and runs do not overlap, so their starts order them.
                singles = sorted(singles + self._settled_words(settled), key=_start)
        self._add_lone_names(singles, surnames)
        # A person with no evidence but the lists' is decided as before with the same name.
        decided, from_lists = self._memo.decided, self._from_lists
        for name, person in self.people.items():
            n = from_lists.get(name)
            if n is None or len(person.evidence) != n:
                person.decide()
                continue
            verdict = decided.get(name)
            if verdict is None:
                person.decide()
                decided[name] = (person.gender, person.level, person.why)
            else:
                person.gender, person.level, person.why = verdict

    def _runs(self, every_word: bool = True) -> tuple[list, list, list]:
        """Capitalised runs as (start, end, name, honorific): full names, lone words
        (without those `_never_a_mention` settles, unless ``every_word``), and the
        matches of the one-word runs it settles (for `_settled_words`)."""
        text, cfg = self.doc.text, self.config
        full, singles, settled = [], [], []
        # A match holds an honorific literally: a text with none of them needs no scan
        # (with none configured, the pattern matches an empty one: scanned as before).
        honorifics = {}
        if not cfg.honorifics or any(h in text for h in cfg.honorifics):
            honorifics = {h.end(): h.group(1) for h in cfg.honorific_pattern.finditer(text)}
        cuts, lone = self._memo.cuts, self._memo.lone
        listed = _listed_surnames(cfg.public_figures)
        for m in capitalised_runs(self.doc, cfg):
            run = m.group()
            # One word, the common case: no title to split off, a possessive perhaps. The
            # memo holds one-word runs only, so a run found there is one.
            word = lone.get(run)
            if word is None and len(run) < 40 and " " not in run and "\u00a0" not in run:
                if len(lone) >= _CUTS_MAX:
                    lone.clear()
                word = lone[run] = self._lone_word(run, listed)
            if word is not None:
                if every_word or not word[1]:
                    s = m.start()
                    singles.append((s, s + len(word[0]), word[0], honorifics.get(s)))
                else:
                    settled.append(m)  # made a lone word only if a surname needs it
                continue
            s = m.start()
            honorific = honorifics.get(s)
            # Titles, places, possessors and common words in front of a name are not part of it:
            # "US Deputy Secretary of State Wendy Sherman", "Russia’s Sergei Lavrov". Whether
            # the run opens a sentence matters only to some runs ("After Wendy Sherman"): the
            # memo holds a run's name under the run alone when it does not.
            names = cuts.get(run)
            if names is None:
                if len(cuts) >= _CUTS_MAX:
                    cuts.clear()
                names = cuts[run] = self._names_in_run(run)
            opening, inside = names
            if opening is inside:
                cut = opening
            else:
                cut = opening if _SENTENCE_INITIAL.search(text, max(0, s - 3), s) is not None else inside
            a, b, name, several, stripped_honorific, titled = cut
            if stripped_honorific is not None:
                honorific = stripped_honorific
            if several:
                if self._is_full_name(name):
                    full.append((s + a, s + b, name, honorific))
            elif name:
                # "Pope Francis", "President Macron": a title makes a lone name someone.
                singles.append((s + a, s + b, name, honorific or ("" if titled else None)))
        self._honorifics = honorifics
        return full, singles, settled

    def _settled_words(self, settled: list) -> list[tuple]:
        """The lone words of the one-word runs `_runs` settled and left out, as a pass
        with ``every_word`` gives them: made only when a surname needs them."""
        lone, listed, out = self._memo.lone, _listed_surnames(self.config.public_figures), []
        for m in settled:
            s, run = m.start(), m.group()
            word = lone.get(run) or self._lone_word(run, listed)
            out.append((s, s + len(word[0]), word[0], self._honorifics.get(s)))
        return out

    def _lone_word(self, run: str, listed: dict[str, str]) -> tuple[str, bool]:
        """A one-word run without its possessive ("Sherman’s": Sherman), and whether
        `_never_a_mention` settles it."""
        word = run
        if run[-1] in _POSSESSIVE_ENDS:  # only then can _POSSESSIVE match
            p = _POSSESSIVE.search(run)
            if p and p.start() > 0:
                word = run[:p.start()]
        return word, self._never_a_mention(word, listed)

    def _names_in_run(self, run: str) -> tuple[tuple, tuple]:
        """`_name_in_run` of a run that opens a sentence and of one that does not: one
        object twice when that makes no difference (most runs: "Wendy Sherman")."""
        spans = [w.span() for w in _WORDS.finditer(run)]
        words = [run[a:b] for a, b in spans]
        opening = self._name_in_run(run, spans, self._cut(words, True))
        cut = self._cut(words, False)
        first = opening[:6]
        if opening[6] == cut:
            return first, first
        return first, self._name_in_run(run, spans, cut)[:6]

    @staticmethod
    def _name_in_run(run: str, spans: list[tuple[int, int]], cut: tuple[int, str | None, bool]) -> tuple:
        """The name a run of capitalised words holds once titles in front (`_cut`) and a
        possessive at the end are cut off: its start and end in the run, the name (words
        joined by one space), whether it has several words, the last honorific cut off,
        whether a title was, and the cut itself."""
        stripped, honorific, titled = cut
        spans = spans[stripped:]
        a, b = spans[0][0], spans[-1][1]
        p = _POSSESSIVE.search(run, a, b)
        if p:
            b = p.start()
        name = run[a:b]
        several = " " in name or "\u00a0" in name
        if several:
            name = " ".join(name.split())
        return a, b, name, several, honorific, titled, cut

    def _cut(self, words: list[str], initial: bool) -> tuple[int, str | None, bool]:
        """How many leading words of a run are not part of the name, the last honorific
        among them, and whether a title was among them: a function of the words alone."""
        cfg, stripped, honorific, titled = self.config, 0, None, False
        while len(words) - stripped > 1 and self._strips(words[stripped:stripped + 2], initial):
            first = words[stripped]
            if first in cfg.honorifics:
                honorific = first
            titled = titled or first.lower() in cfg.titles and first.lower() not in ("the", "of")
            stripped, initial = stripped + 1, False
        # A party, body or nationality before the title: "Labour MP Jess Phillips", "German
        # Chancellor Scholz": the name starts after the last title word when the words
        # before it do not start with a first name ("John Major Smith").
        if len(words) - stripped > 2 and self._first(words[stripped]) is None:
            for j in range(len(words) - 2, stripped, -1):
                w = words[j]
                if w in cfg.honorifics or (w.lower() in cfg.titles and w.lower() not in ("the", "of")) or (w.isupper() and len(w) > 1):
                    if w in cfg.honorifics:
                        honorific = w
                    titled = titled or w.lower() in cfg.titles
                    stripped = j + 1
                    break
        return stripped, honorific, titled

    def _add_full_names(self, full: list) -> dict[str, list[Person]]:
        """Mentions of full names; returns surname -> the people the document gives it."""
        surnames: dict[str, list[Person]] = {}
        # "Fernández de Kirchner" is "Cristina Fernández de Kirchner" when the document
        # gives one longer name ending so: each name's tails of two words or more.
        longer: dict[str, set[str]] = {}
        for name in {name for _, _, name, _ in full}:
            words = name.split()
            for i in range(1, len(words) - 1):
                longer.setdefault(" ".join(words[i:]), set()).add(name)
        for s, e, name, honorific in full:
            fuller = longer.get(name)
            person = self._person(next(iter(fuller)) if fuller and len(fuller) == 1 else name)
            self._document_evidence(person, s, e, honorific)
            self.mentions.append(Mention(s, e, (person,)))
            group = surnames.setdefault(name.split()[-1], [])
            if person not in group:
                group.append(person)
        return surnames

    def _add_lone_names(self, singles: list, surnames: dict[str, list[Person]]) -> None:
        """A lone word is a surname the document gives in full, a listed surname, a speaker
        ("said Mykhailo"), a titled name ("Pope Francis") or a word no dictionary knows."""
        text, cfg = self.doc.text, self.config
        listed = _listed_surnames(cfg.public_figures)
        project = _surname_index(self._project)
        words = _dictionary()
        regions, starts = self._regions, self._region_starts
        ignored = self._memo.ignored
        for s, e, word, honorific in singles:
            if word not in surnames:
                skip = ignored.get(word)
                if skip is None:
                    skip = ignored[word] = self._never_a_mention(word, listed)
                if skip and word not in project:
                    continue  # "The", "Washington", "NATO": the common case, settled once per word
            if _CONTRACTION.search(word):
                continue  # "I’ve", "I'm": the pronoun I
            if word in cfg.article_places and _after_the(text, s):
                continue  # "the West": the bloc, even beside "Kanye West"
            people = surnames.get(word)
            if people is None and regions is not None:  # inlined `_in_regions`: the hot loop
                i = bisect.bisect_right(starts, s) - 1
                if i < 0 or s >= regions[i][1]:
                    continue
            # The tests below are pure; each runs only when its answer can matter.
            if word.isupper() or (word in cfg.places and not (word in cfg.article_places and not _after_the(text, s))):
                proper, common = False, True  # (common matters only for a proper name)
            else:
                in_words = word.lower() in words
                initial = in_words and _SENTENCE_INITIAL.search(text, max(0, s - 3), s) is not None
                proper = not initial
                common = not proper or in_words
            if people is None and proper:
                # "in Austin" is a place, whatever the list of public figures says; a common
                # word capitalised mid-sentence ("met Bush") may still be a listed surname.
                key = project.get(word) or (listed.get(word) and not self._after_place_preposition(s) and listed[word])
                if key:
                    people = [self.people.get(key) or self._surname_only(key)]
                elif not common and (honorific is not None or self._next_to_verb(s, e)):
                    people = [self.people.get(word) or self._unknown(word)]
                elif (not common and (word not in words or self._first(word) is not None)
                      and _SENTENCE_INITIAL.search(text, max(0, s - 3), s) is None
                      and not self._after_place_preposition(s)):
                    # A capitalised word no dictionary knows ("Zaluzhny"), or a first name
                    # ("revealed that Tristan bought"): perhaps someone, and then perhaps the
                    # one a pronoun means.
                    people = [self.people.get(word) or self._unknown(word)]
            if people is None:
                continue
            if len(people) == 1:
                self._document_evidence(people[0], s, e, honorific)
            self.mentions.append(Mention(s, e, tuple(people)))

    def _never_a_mention(self, word: str, listed: dict[str, str]) -> bool:
        """Whether `_add_lone_names` passes over ``word`` wherever it stands, unless it is
        the surname of a full name in the document or in the project's people list: a
        contraction, an acronym, a place, or a dictionary word that is no listed surname
        (mid-sentence it is a common word, at a sentence's start it is not proper)."""
        cfg = self.config
        if _CONTRACTION.search(word) or word.isupper():
            return True
        if word in cfg.places and word not in cfg.article_places:
            return True
        return word.lower() in _dictionary() and not listed.get(word)

    def _in_regions(self, pos: int) -> bool:
        if self._regions is None:
            return True
        i = bisect.bisect_right(self._region_starts, pos) - 1
        return i >= 0 and pos < self._regions[i][1]

    def _is_title(self, word: str, initial: bool) -> bool:
        """Not part of the name that follows: a title, a place, a possessor, or a common word
        capitalised only because it opens the sentence ("The", "Former")."""
        cfg, low = self.config, word.lower()
        if _POSSESSIVE.search(word):
            return True  # "Russia’s Sergei Lavrov"
        if self._first(word) is not None and low not in cfg.titles:
            return False
        if low in cfg.titles or word in cfg.honorifics or word in cfg.places or word.isupper() or low in cfg.particles:
            return True
        return initial and low in _dictionary()

    def _strips(self, words: list[str], initial: bool) -> bool:
        """Should the first word go? A sentence's first word only when what follows starts a
        name or would go too ("After Wendy Sherman", "The North American"; not "Pat Quillfeather")."""
        first = words[0]
        if not self._is_title(first, initial):
            return False
        if initial and not self._is_title(first, False) and len(words) > 1:
            nxt = words[1]
            return self._first(nxt) is not None or self._is_title(nxt, True)
        return True

    def _is_full_name(self, name: str) -> bool:
        """Two or more capitalised words: a person unless they are all common words or a place."""
        if name in self._project or name in self._listed:
            return True
        known = self._memo.full_names
        verdict = known.get(name)
        if verdict is None:
            verdict = known[name] = self._looks_like_full_name(name)
        return verdict

    def _looks_like_full_name(self, name: str) -> bool:
        """`_is_full_name` for a name no people list gives: a function of its words alone."""
        words = name.split()
        if self._first(words[0]) is not None:
            return True
        cfg, lower = self.config, _dictionary()
        if words[-1] in cfg.organisation_words:
            return False  # "Puebla Group", "Sarmiento Street", "Italian Government"
        if name in cfg.places or any((w in cfg.places and w not in cfg.article_places) or w.isupper() for w in words):
            return False  # "United States", "RIA Novosti"; not "Kanye West"
        return not all(w.lower() in lower or w.lower() in cfg.particles for w in words)  # "Cold War"

    def _person(self, name: str) -> Person:
        person = self.people.get(name)
        if person is not None:
            return person
        if not self._project:
            # The evidence of the lists is a function of the name alone: remembered.
            base = self._memo.persons.get(name)
            if base is None:
                base = self._memo.persons[name] = tuple(self._listed_person(name).evidence)
            person = self.people[name] = Person(name, evidence=list(base))
            self._from_lists[name] = len(base)
            return person
        return self._listed_person(name)

    def _listed_person(self, name: str) -> Person:
        person = self.people[name] = Person(name)
        if name in self._project:
            person.evidence.append(Evidence(self._project[name], "project people list", "the project's people list"))
        elif name in self._listed:
            person.evidence.append(Evidence(self._listed[name], "people list", f"the list of public figures ({self.config.public_figures})"))
        self._first_name_evidence(person, name.split()[0])
        return person

    def _surname_only(self, key: str) -> Person:
        person = self.people[key] = Person(key)
        if key in self._project:
            person.evidence.append(Evidence(self._project[key], "project people list", "the project's people list"))
        else:
            person.evidence.append(Evidence(self._listed[key], "people list (surname only)", "the list of public figures, by surname alone"))
        return person

    def _unknown(self, word: str) -> Person:
        """A lone name we cannot link ("said Mykhailo"): someone, perhaps of known first name."""
        person = self.people[word] = Person(word, known=False)
        self._first_name_evidence(person, word)
        return person

    def _first_name_evidence(self, person: Person, first: str) -> None:
        gender = self._first(first)
        if gender:
            person.evidence.append(Evidence(gender, "first-name table", f"the first name {first!r} (first-name table)"))

    def _first(self, word: str) -> str | None:
        """The first-name table's gender for ``word``; "María", "Mónica", "Néstor" are
        looked up without their accents when the table lacks them."""
        low = word.lower()
        gender = self._firsts.get(low)
        if gender is None and not low.isascii():
            gender = self._firsts.get(_unaccented(low))
        return gender

    def _after_place_preposition(self, start: int) -> bool:
        before = _VERB_BEFORE.search(self.doc.text, max(0, start - 16), start)
        return bool(before and before.group(1) in self.config.place_prepositions)

    def _next_to_verb(self, start: int, end: int) -> bool:
        """A lone name just before or after a verb of saying is a speaker ("said Mykhailo")."""
        text, verbs = self.doc.text, self.config.attribution_verbs
        after = _WORD_AFTER.match(text, end, end + 24)
        if after and after.group(1) in verbs and text[end:after.start(1)].strip() in ("", ","):
            return True
        before = _VERB_BEFORE.search(text, max(0, start - 24), start)
        return bool(before and before.group(1) in verbs)

    def _document_evidence(self, person: Person, start: int, end: int, honorific: str | None) -> None:
        """Gender evidence at a mention: "Ms Sherman", "Sherman and her", "Close, the actress"."""
        text, cfg = self.doc.text, self.config
        if honorific:
            line = self.doc.line_col(start)[0]
            person.evidence.append(Evidence(cfg.honorifics[honorific], "document", f"'{honorific} {text[start:end]}', line {line}"))
        for pattern in cfg.evidence_after:
            m = pattern.match(text, end, min(len(text), end + 80))
            if not m:
                continue
            word = (m.groupdict().get("pronoun") or m.groupdict().get("noun") or "").lower()
            gender = cfg.pronoun_gender.get(word) or cfg.gendered_nouns.get(word)
            if gender:
                phrase = m.groupdict().get("phrase") or m.group().strip(" ,")
                line = self.doc.line_col(start)[0]
                person.evidence.append(Evidence(gender, "document", f"'{phrase}', line {line}"))


_CUTS_MAX = 20000  # runs (and words) remembered per configuration across documents (names recur)


class _Memo:
    """What one configuration decides from a run's or a word's text alone, across
    documents: `Cast._cut` of a run, whether capitalised words make a full name, and
    whether a lone word is never a mention. The title words, first names, places and
    dictionary these depend on are fixed by the configuration; each table is emptied
    when it grows past `_CUTS_MAX`."""

    def __init__(self, config: NameConfig):
        self.config = config
        self.cuts: dict = {}
        self.ignored: dict[str, bool] = {}
        self.full_names: dict[str, bool] = {}
        self.cues: dict[str, _Cues] = {}  # by gender, for `may_mention_gender`
        self.lone: dict[str, tuple[str, bool]] = {}  # a one-word run -> `Cast._lone_word`
        self.persons: dict[str, tuple[Evidence, ...]] = {}  # a full name -> its evidence from the lists
        self.decided: dict[str, tuple] = {}  # a full name -> `Person.decide` on that evidence alone

    def trim(self) -> None:
        for table in (self.cuts, self.ignored, self.full_names, self.lone, self.persons, self.decided):
            if len(table) >= _CUTS_MAX:
                table.clear()


_MEMOS: dict[int, _Memo] = {}


def _memo(config: NameConfig) -> _Memo:
    """The memo of one configuration, kept while the configuration lives."""
    entry = _MEMOS.get(id(config))
    if entry is None or entry.config is not config:
        if len(_MEMOS) >= 16:
            _MEMOS.clear()
        entry = _MEMOS[id(config)] = _Memo(config)
    else:
        entry.trim()
    return entry


@lru_cache(maxsize=4096)
def _unaccented(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _start(item: tuple) -> int:
    return item[0]


def _after_the(text: str, start: int) -> bool:
    """ "the West" is a place; "West said" is someone called West."""
    return text[max(0, start - 4):start].lower() == "the "


_POSSESSIVE_WORD_END = regex.compile(r"[’']s?(?=\s|\Z)")
_OTHER_NUMBER = regex.compile(r"\p{No}")  # "²": a word character of the vocabulary only
_CONTRACTION = regex.compile(r"[’'](?:ve|ll|re|d|m)\Z")
_SENTENCE_INITIAL = regex.compile(r"(?:\A|[.!?:\n][”’\"']?)[ \u00a0“‘\"'(]*\Z")
_VERB_BEFORE = regex.compile(r"(\w+),?\s+\Z")


@lru_cache(maxsize=4)
def _listed_surnames(name: str) -> dict[str, str]:
    return _surname_index(public_figures(name))


def _surname_index(names: dict[str, str]) -> dict[str, str]:
    """Surname -> the first listed full name with it, unless people of different pronouns
    share it ("Clinton": Hillary and Bill)."""
    groups: dict[str, list[str]] = {}
    for full in names:
        groups.setdefault(full.split()[-1], []).append(full)
    return {last: fulls[0] for last, fulls in groups.items() if len({names[f] for f in fulls}) == 1}


