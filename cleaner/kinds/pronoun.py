"""The `pronoun` kind: he/his for a woman (and she/her for a man), and he/his for a country.

Spanish, Italian, Portuguese, Chinese and Japanese drop subjects, so machine translation
into English guesses a pronoun, and it guesses "he": "Sherman reported that he had
insisted to his Russian counterpart". This kind finds the people a document mentions
(`cleaner.people.Cast`), decides which person a pronoun refers to, and rewrites it only
when that is unambiguous:

- the people in reach are those named (or described: "a soldier") in the pronoun's
  paragraph before it; a pronoun that opens a sentence or follows a quotation ("...,” he
  said.") with nobody named before it in its paragraph reaches back into the paragraph
  before (the quote's speaker, the subject that introduced it);
- if anyone in reach can take the pronoun (same gender, or unknown), it is left alone:
  correct English is never touched;
- if exactly one person is in reach, known to be of the other gender, and the pronoun is
  tied to that person by grammar (`_bound`: "Sherman reported that he", "Sherman ... . And
  he seemed", "that he had insisted to his counterpart"), it is rewritten: `fix` when the
  gender comes from a people list or the document, `suggest` when it rests on the
  first-name table alone; not tied by grammar, it is flagged when the person is the
  subject of the pronoun's own sentence;
- if several people are in reach and the pronoun fits none of them, it is flagged;
- if nobody is in reach but a country or government is named before it in its sentence
  ("Washington’s threat of the answer that he would give"), it is flagged with "it/its".

Pronouns inside quotation marks are never touched: there "he" is the speaker's reference
to someone else. Options (all language knowledge, from the YAML pack): see ``OPTIONS``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterator

import regex

from ..model import Level
from ..people import STRENGTH, Cast, Mention, NameConfig, Person, config_key, may_mention_gender
from .base import Kind, OptionError

_NOUN_WORD = regex.compile(r"(?<![\w’'\-])\p{L}\p{Ll}+(?:-\p{Ll}+)*(?![\w\-])")
_VOCAB_WORD = re.compile(r"\w+")  # a word of `Document.vocabulary`
_OTHER_NUMBER = regex.compile(r"\p{No}")  # "²": in a vocabulary word, not in a `_NOUN_WORD` one
_AFTER_THE = regex.compile(r"the (?=\p{Lu})")  # where an epithet may start: "the Joker"
_DOUBLE_QUOTES = regex.compile(r"[“”\"]")
_NEXT_WORD = regex.compile(r"[ \u00a0]+([\p{L}][\p{L}\-’']*)")
_CLOSING_QUOTE_BEFORE = regex.compile(r"[”\"][,.;:!?]?[ \u00a0]*\Z")  # logical punctuation: "...”, he said"
_INTRO_PHRASE = regex.compile(r"\A[^,;:“”\"()]{0,80},[ \u00a0]*\Z")  # "After the meeting, he"
_SENTENCE_START = regex.compile(r"\A(?:<[^<>]*>\s*)*[“‘\"'(\[]*\Z")  # markup may open it
_CLOSING_SINGLE = regex.compile(r"’(?!\w)")  # ’ between letters is an apostrophe
# The sentence's subject: the name comes first, after at most an introductory phrase and
# capitalised title words ("On the other hand, Sherman", "US Deputy Secretary of State Wendy").
_SUBJECT_PREFIX = regex.compile(
    r"(?:<[^<>]*>\s*)*[“\"‘]?(?:[^,;:“”\"()<>]{0,60},[ \u00a0]*)?(?P<titles>(?:[^\s,;:“”\"()<>]+[ \u00a0]+)*)"
)
_DEFINITE_TITLE = regex.compile(r"(?<![\w’'\-])[Tt]he[ \u00a0]+((?:[\w\-]+[ \u00a0]+){0,3})\Z")
# An attribution set off by dashes inside a quotation: “Italy – he assures – has what it takes”.
_DASH_BEFORE = regex.compile(r"[–—][ \u00a0]*\Z")
_DASH_AFTER = regex.compile(r"[ \u00a0]+(?:\p{Ll}+ly[ \u00a0]+)?(\p{Ll}+)[ \u00a0]*[–—]")
_POSSESSOR = regex.compile(r"\w[’']s?\Z")
# A person noun that is a name's title or apposition: "the vice chancellor, Sergei Riabkov".
_TITLE_BEFORE_NAME = regex.compile(r"[\s,]*(?:(?:\p{Lu}[\w’'\-.]*|of|for|the)[\s,]+)*")
_APPOSITION = regex.compile(r",\s+(?:the|a|an|his|her|its|their)\s+(?:[\w’'\-]+\s+){0,4}")


@dataclass
class Slot:
    """Someone in reach of a pronoun: a named person (or ambiguous surname) or a described one."""

    label: str
    gender: str | None
    mention: Mention | None = None

    @property
    def person(self) -> Person | None:
        return self.mention.people[0] if self.mention and len(self.mention.people) == 1 else None


class PronounKind(Kind):
    name = "pronoun"
    OPTIONS = {
        "pronouns": dict,  # pronoun -> [gender it implies, counterpart]: {he: [he, she], his: [he, her]}
        "standalone": dict,  # counterpart when no noun follows: {his: hers, her: him}
        "subject_forms": list,  # forms that can be a clause's subject: [he, she]
        "possessives": list,  # always possessive: [his, hers]
        "reflexives": list,  # [himself, herself]: follow the subject pronoun of their clause
        "not_nouns": list,  # words after his/her that show no noun follows ("told her that")
        "titles": list,  # title words split off names ("deputy", "secretary", "minister")
        "honorifics": dict,  # {Ms: she, Mr: he}
        "name_particles": list,  # lower-case words inside names ("of", "von", "bin")
        "governments": list,  # countries, capitals, institutions a pronoun may wrongly stand for
        "places": list,  # other places that are never people ("Geneva")
        "organisation_words": list,  # last words of bodies' and streets' names ("Group", "Street")
        "article_places": list,  # governments only after "the" ("the West"; "Kanye West" is a man)
        "country_pronouns": dict,  # {he: it, his: its}: the suggestion for a government
        "attribution_verbs": list,  # "said", "added", "remarked"
        "place_prepositions": list,  # "in", "at": a lone capitalised word after one is a place
        "reporting_verbs": list,  # more verbs that introduce reported speech: "believed", "hoped"
        "sentence_openers": list,  # "And", "But": a pronoun after one still opens its sentence
        "evidence_after_name": list,  # regexes matched right after a name; groups phrase, pronoun|noun
        "gendered_nouns": dict,  # {woman: she, actress: she, man: he}
        "person_nouns": list,  # singular nouns for someone unnamed ("official", "soldier")
        "epithet_endings": list,  # "the Joker", "the Terminator": a capitalised agent noun after "the" is someone
        "someone_patterns": list,  # regexes describing one person without a person noun ("one of them")
        "stranded": list,  # forms flagged when nobody in reach can take them (subject-dropping sources): [he, his]
        "public_figures": str,  # data file under cleaner/data
        "first_names": str,  # data file under cleaner/data
    }
    REQUIRED = ("pronouns",)

    def __init__(self, rule):
        super().__init__(rule)
        opts = rule.options
        self.pronouns: dict[str, tuple[str, str]] = {}
        for word, value in opts["pronouns"].items():
            if not (isinstance(value, list) and len(value) == 2 and value[0] in ("he", "she")):
                raise OptionError("pronouns", f"{word}: give [gender (he|she), counterpart], e.g. [he, she]")
            self.pronouns[word.lower()] = (value[0], value[1])
        for key in ("subject_forms", "possessives", "reflexives", "not_nouns", "titles", "name_particles", "governments", "places", "article_places", "organisation_words", "attribution_verbs",
                    "place_prepositions", "reporting_verbs", "sentence_openers", "person_nouns", "evidence_after_name", "epithet_endings", "stranded", "someone_patterns"):
            if not all(isinstance(w, str) and w for w in opts.get(key, [])):
                raise OptionError(key, f"'{key}' is a list of non-empty strings (quote yes/no/on/off in YAML)")
        self.standalone = {k.lower(): v for k, v in opts.get("standalone", {}).items()}
        self.subjects = frozenset(w.lower() for w in opts.get("subject_forms", []))
        self.possessives = frozenset(w.lower() for w in opts.get("possessives", []))
        self.reflexives = frozenset(w.lower() for w in opts.get("reflexives", []))
        self.not_nouns = frozenset(w.lower() for w in opts.get("not_nouns", []))
        self.country = {k.lower(): v for k, v in opts.get("country_pronouns", {}).items()}
        self.verbs = frozenset(opts.get("attribution_verbs", []))
        reporting = sorted(self.verbs | set(opts.get("reporting_verbs", [])))
        # Name, [parenthesis,] [adverb/auxiliary] VERB [object] [that] PRONOUN
        self.report_re = regex.compile(
            r"(?:,[^,;:“”\"]{1,40},)?[ \u00a0]+(?:\p{Ll}+[ \u00a0]+){0,2}\L<verbs>"
            r"(?:[ \u00a0]+\p{Ll}+){0,2}?(?:[ \u00a0]+that)?[ \u00a0]+",
            verbs=reporting or [""],
        )
        self.openers = frozenset(opts.get("sentence_openers", []))
        governments = [g for g in opts.get("governments", []) if isinstance(g, str) and g]
        gendered = {k.lower(): v for k, v in opts.get("gendered_nouns", {}).items()}
        nouns = sorted({n.lower() for n in opts.get("person_nouns", [])} | set(gendered))
        pronoun_gender = {w: g for w, (g, _) in self.pronouns.items()}
        evidence = []
        for i, pattern in enumerate(opts.get("evidence_after_name", [])):
            try:
                evidence.append(regex.compile(pattern, ignore_unused=True, pronouns=sorted(self.pronouns), nouns=sorted(gendered) or [""]))
            except (regex.error, ValueError) as exc:
                raise OptionError(f"evidence_after_name[{i}]", f"bad regex {pattern!r}: {exc}") from None
        self.config = NameConfig(
            titles=frozenset(t.lower() for t in opts.get("titles", [])),
            honorifics=dict(opts.get("honorifics", {})),
            particles=frozenset(opts.get("name_particles", [])),
            places=frozenset(governments) | frozenset(opts.get("places", [])),
            attribution_verbs=self.verbs,
            place_prepositions=frozenset(opts.get("place_prepositions", [])),
            evidence_after=tuple(evidence),
            gendered_nouns=gendered,
            pronoun_gender=pronoun_gender,
            article_places=frozenset(opts.get("article_places", [])),
            organisation_words=frozenset(opts.get("organisation_words", [])),
            public_figures=opts.get("public_figures", "people.yaml"),
            first_names=opts.get("first_names", "first_names.txt"),
        )
        self.gendered = gendered
        # Whole words only; one scan finds every pronoun (and a text without one costs one scan).
        self.pronoun_re = regex.compile(r"(?<![\w’'\-])\L<p>(?![\w\-]|[’']\w)", regex.I, p=sorted(self.pronouns))
        self.nouns = frozenset(nouns)
        self.epithets = tuple(e.lower() for e in opts.get("epithet_endings", []))
        # Person nouns by how their first word can be written ("soldier", "Soldier"), with
        # their other words: a noun whose words are not all in a document's vocabulary is
        # not in it ("mother-in-law": mother, in, law). Only the Kelvin sign lowers to an
        # ASCII letter besides the letters themselves.
        self.noun_words: dict[str, list[tuple[str, frozenset[str]]]] = {}
        self.nouns_ascii = all(n.isascii() for n in nouns)  # else: `_spellings` may not know them all
        for n in nouns:
            first, *rest = _VOCAB_WORD.findall(n)
            for form in _spellings(first):
                self.noun_words.setdefault(form, []).append((n, frozenset(rest)))
        self.noun_firsts = frozenset(self.noun_words)  # a set: intersecting one walks the smaller
        # Documents' memos: the three rules of the pronouns pack find the same pronouns,
        # nouns and people, so whichever runs first on a document works them out for all.
        self._found_key = "pronoun.found:" + self.pronoun_re.pattern + repr(sorted(self.pronouns))
        self._nouns_key = "pronoun.nouns:" + repr((nouns, self.epithets))
        self._cast_key = "pronoun.cast:" + config_key(self.config)
        self.stranded = frozenset(w.lower() for w in opts.get("stranded", []))
        # "thanked the nurses. One of them said he": someone described without a person noun.
        self.someone_re = _compile_any(opts.get("someone_patterns", []), "someone_patterns")
        unknown = self.stranded - set(self.pronouns)
        if unknown:
            raise OptionError("stranded", f"{sorted(unknown)[0]!r} is not one of the 'pronouns'")
        self.government_words = tuple(frozenset(_VOCAB_WORD.findall(g)) for g in governments)
        self.government_re = (
            regex.compile(r"(?<![\w\-])\L<g>(?![\w\-])", g=sorted(governments, key=len, reverse=True)) if governments else None
        )
        # At level flag the rule reports what it would rewrite, for a person to judge.

    # -- the scan ------------------------------------------------------------------------
    def find(self, doc) -> Iterator:
        found = doc.memo(self._found_key, self._find_pronouns)
        if not found:
            return
        genders = {self.pronouns[m.group().lower()][0] for m in found}
        if len(genders) == 1 and not self._may_find(doc, found, genders.pop()):
            return  # "he" throughout, and no woman the document could name
        # Lone names matter only in the paragraphs a pronoun looks at: its own and the one before.
        para_starts = [s for s, _ in doc.paragraphs]
        needed: set[int] = set()
        for m in found:
            k = bisect.bisect_right(para_starts, m.start()) - 1
            if k >= 0:
                needed.add(k)
            if k >= 1:
                needed.add(k - 1)
        regions = _merge([doc.paragraphs[k] for k in sorted(needed)])
        cast = doc.memo(f"{self._cast_key}:{regions}", lambda d: Cast(d, self.config, regions))
        scan = _Scan(doc, cast, found, lambda: doc.memo(self._nouns_key, self._find_nouns))
        for m in found:
            start, end = m.span()
            k = bisect.bisect_right(scan.para_starts, start) - 1
            if k < 0 or start >= doc.paragraphs[k][1]:
                continue
            if scan.quoted(k, start) and not self._dash_attribution(doc.text, start, end):
                continue
            si = bisect.bisect_right(scan.sent_starts, start) - 1
            finding = self._judge(scan, m.group(), start, end, k, si)
            if finding is None and m.group().lower() in self.stranded:
                finding = self._stranded(scan, m.group(), start, end, k)
            if finding is not None:
                yield finding

    def _may_find(self, doc, found: list, gender: str) -> bool:
        """Whether pronouns all of ``gender`` may give a finding. Only someone of the other
        gender in reach can make one fit nobody (named: `may_mention_gender`; described:
        "the actress", whose noun that test counts as well); else only a government named
        before it ("Washington’s threat ... his") or a stranded form can be flagged."""
        if any(m.group().lower() in self.stranded for m in found):
            return True
        if may_mention_gender(doc, self.config, "she" if gender == "he" else "he"):
            return True
        return self._government_before_any(doc, found)

    def _government_before_any(self, doc, found: list) -> bool:
        """Whether `_country` flags some pronoun when nobody is in its reach: a government
        is then named in the document, so its words are in the vocabulary (unless a
        character such as "²" glued one to another there)."""
        if self.government_re is None:
            return False
        text, vocabulary = doc.text, doc.vocabulary
        if (text.isascii() or not _OTHER_NUMBER.search(text)) and not any(words <= vocabulary for words in self.government_words):
            return False
        para_starts, sent_starts = [s for s, _ in doc.paragraphs], [s for s, _ in doc.sentences]
        for m in found:
            start, end = m.span()
            k = bisect.bisect_right(para_starts, start) - 1
            if k < 0 or start >= doc.paragraphs[k][1]:
                continue
            ps, si = para_starts[k], bisect.bisect_right(sent_starts, start) - 1
            sent_start = max(doc.sentences[si][0], ps) if si >= 0 else ps
            if self._country(doc, m.group(), start, end, sent_start) is not None:
                return True
        return False

    def _find_pronouns(self, doc) -> list:
        return list(self.pronoun_re.finditer(doc.text))

    def _find_nouns(self, doc) -> list[tuple[int, int, str]]:
        """Every person noun ("a soldier", "the official") and epithet ("the Joker") in the
        document, in order, as (start, end, lower-case noun): the `_NOUN_WORD` matches kept
        by `_person_noun`. A match never crosses a paragraph's bounds (blank lines part
        them), so scanning the whole text finds what scanning each paragraph would.

        Rather than scan every word, each noun the vocabulary holds is looked for as it can
        be written ("soldier", "Soldier"). The only characters the vocabulary counts as part
        of a word and `_NOUN_WORD` does not are other numbers ("soldier²"): words are also
        looked for in the parts of the vocabulary's words such characters separate."""
        if not self.nouns:
            return []
        text = doc.text
        if not self.nouns_ascii:
            return [(n.start(), n.end(), n.group().lower()) for n in _NOUN_WORD.finditer(text) if self._person_noun(text, n)]
        out = {}
        vocabulary = doc.vocabulary
        if not text.isascii() and _OTHER_NUMBER.search(text):  # "soldier²": soldier
            vocabulary = vocabulary | {part for w in vocabulary if _OTHER_NUMBER.search(w) for part in _OTHER_NUMBER.split(w)}
        present = {noun for first in vocabulary.intersection(self.noun_firsts) for noun, rest in self.noun_words[first] if rest <= vocabulary}
        for noun in sorted(present):
            for form in _spellings(noun):
                i = text.find(form)
                while i >= 0:
                    m = _NOUN_WORD.match(text, i)
                    if m is not None and m.end() == i + len(form):
                        out[i] = (i, m.end(), noun)
                    i = text.find(form, i + 1)
        if self.epithets:
            # Every noun is in `out` already: after "the ", only capitalised words with an
            # epithet's ending are left to look at.
            for m in _AFTER_THE.finditer(text):
                i = m.end()
                if i not in out:
                    n = _NOUN_WORD.match(text, i)
                    if n is not None and n.group().lower().endswith(self.epithets) and self._person_noun(text, n):
                        out[i] = (i, n.end(), n.group().lower())
        return [out[i] for i in sorted(out)]

    def _person_noun(self, text: str, n) -> bool:
        """A person noun, or an epithet ("the Joker")."""
        word = n.group()
        return word.lower() in self.nouns or (bool(self.epithets) and word[0].isupper() and _is_epithet(text, n, self.epithets))

    def _judge(self, scan: "_Scan", word: str, start: int, end: int, k: int, si: int):
        doc, cast, text, rule = scan.doc, scan.cast, scan.doc.text, self.rule
        gender = self.pronouns[word.lower()][0]
        ps = doc.paragraphs[k][0]
        sent_start = max(doc.sentences[si][0], ps) if si >= 0 else ps
        # "Duda said that he welcomed her visit": a pronoun of the other gender earlier in the
        # sentence already takes the person named, so this one means someone else.
        for other in scan.pronouns_between(sent_start, start):
            if self.pronouns[other.group().lower()][0] != gender and not scan.quoted(k, other.start()):
                return None
        chained = scan.bound.get((si, gender))
        if chained is not None and self._follows_subject(word.lower(), text, end):
            # (c) "that he had insisted to his counterpart": the subject pronoun's person,
            # unless someone who could take this pronoun was named since.
            person, mention = chained
            others = [x for x in self._named_slots(scan, sent_start, start) if x.person is not person]
            if any(x.gender is None or x.gender == gender for x in others):
                return None
            others = [x for x in self._noun_slots(scan, sent_start, start) if x.person is not person]
            if any(x.gender is None or x.gender == gender for x in others):
                return None
            return self._rewrite(scan, word, start, end, person, mention)
        # Someone named in reach can take this pronoun: the common case, decided from the
        # mentions alone (a slot's gender is its mentions' gender) before building slots.
        for m in scan.cast.between(ps, start):
            g = m.gender
            if g is None or g == gender:
                return None
        near, crossing = self._named_slots(scan, ps, start), False
        opens = self._opens_topic(text, sent_start, start, end)
        near += self._noun_slots(scan, ps, start)  # without looking for person nouns
        if not near and k > 0 and opens:
            near, crossing = self._slots(scan, doc.paragraphs[k - 1][0], doc.paragraphs[k - 1][1]), True
        if not near:
            if opens:
                return None
            # "He has sweetened ... and, in perhaps his greatest achievement", "saying he
            # feared he would be sent to the US if he left": a pronoun of the same gender
            # before any government is named in the sentence means a person.
            first_government = self._first_government(text, sent_start, start)
            for other in scan.pronouns_between(sent_start, first_government):
                if self.pronouns[other.group().lower()][0] == gender and not scan.quoted(k, other.start()):
                    return None
            # "He took refuge there, saying he feared extradition. / The US requested his
            # extradition": the paragraph before speaks of a person by this pronoun.
            if k > 0:
                pstart, pend = doc.paragraphs[k - 1]
                for other in scan.pronouns_between(pstart, pend):
                    if self.pronouns[other.group().lower()][0] == gender and not scan.quoted(k - 1, other.start()):
                        return None
            # "Zelenskiy has repeatedly argued ... / However, NATO has rebuffed his calls": a
            # named person of this gender is the subject of a sentence in the paragraph before.
            if k > 0:
                pstart, pend = doc.paragraphs[k - 1]
                for x in self._named_slots(scan, pstart, pend):  # a described person has no mention
                    if x.gender != gender or x.mention is None:
                        continue
                    mi = bisect.bisect_right(scan.sent_starts, x.mention.start) - 1
                    if mi >= 0 and _is_subject(text, max(doc.sentences[mi][0], pstart), x.mention, self.config):
                        return None
            return self._country(doc, word, start, end, sent_start)
        if any(x.gender is None or x.gender == gender for x in near):
            return None  # someone in reach can take this pronoun: correct English
        if len(near) > 1:
            if crossing:
                return None  # nobody named in its own paragraph: too far to say who is meant
            # "They were addressed to her son ..., she said": a pronoun of this gender earlier
            # in the paragraph already speaks of someone the text named further back.
            for other in scan.pronouns_between(ps, start):
                if self.pronouns[other.group().lower()][0] == gender and not scan.quoted(k, other.start()):
                    return None
            names = "; ".join(x.label for x in near[:4])
            message = f"{rule.message}: ‘{word}’ fits none of the people in reach ({names}); check who is meant"
            return rule.finding(doc, start, end, None, level=Level.FLAG, message=message)
        person, mention = near[0].person, near[0].mention
        if person is None or person.gender not in ("he", "she"):
            return None
        if self._bound(scan, word.lower(), person, mention, si, sent_start, start, opens, crossing):
            scan.bound[(si, gender)] = (person, mention)
            return self._rewrite(scan, word, start, end, person, mention)
        # Not tied to the person by grammar: anyone of its gender in the paragraph before
        # may be meant ("Harris arrived. / Duda said her visit was welcome"), and so may
        # someone unnamed in an earlier sentence ("Harris praised the soldiers. One of them
        # said he was proud"). Flag only when the person is its own sentence's subject:
        # "Sherman went to Geneva, where he met Riabkov".
        if mention.start < sent_start or not _is_subject(text, sent_start, mention, self.config):
            return None
        if k > 0:
            wide = self._named_slots(scan, doc.paragraphs[k - 1][0], start)
            if len(wide) > 1 or len(wide) + len(self._noun_slots(scan, doc.paragraphs[k - 1][0], start)) > 1:
                return None
        elif len(near) > 1:
            return None
        message = (
            f"{rule.message}: ‘{word}’ fits nobody in reach but {scan.why(person)} (named on line "
            f"{doc.line_col(mention.start)[0]}), who is not its clear antecedent; check who is meant"
        )
        return rule.finding(doc, start, end, None, level=Level.FLAG, message=message)

    def _stranded(self, scan: "_Scan", word: str, start: int, end: int, k: int):
        """On an article from a language that drops subjects, a pronoun nobody in reach can
        take is the translation's guess: flag it, naming the last person named when she (or
        he) is of the other gender, or saying that nobody is named at all.

        Reach is the pronoun's paragraph before it and the paragraph before that. A named
        person who may take the pronoun (same or unknown gender), or someone described
        ("a soldier", "her husband"), means the text may be right. A definite title ("the
        minister", "the Prime Minister") is not someone else when a person of the other
        gender was named last: translation names an office holder by her title after
        naming her."""
        doc, text, cast = scan.doc, scan.doc.text, scan.cast
        gender = self.pronouns[word.lower()][0]
        reach = doc.paragraphs[k - 1][0] if k > 0 else doc.paragraphs[k][0]
        mentions = cast.between(reach, start)
        if scan.quoted(k, start):
            # “I have to hear Zelensky – he explained – ...”: the narrator's pronoun is the
            # speaker, never someone the speaker names.
            para = doc.paragraphs[k][0]
            mentions = [m for m in mentions if m.start < para or not scan.quoted(k, m.start)]
            here = [m for m in cast.between(para, start) if not scan.quoted(k, m.start)]
            last = here[-1] if here else cast.last_before(para)
        else:
            last = cast.last_before(start)
        for m in mentions:
            if m.gender is None or m.gender == gender:
                return None
        if last is not None and (last.gender is None or last.gender == gender or len(last.people) != 1):
            return None  # a man named further back may be meant
        for ns, ne, noun in scan.nouns_between(reach, start):
            noun_gender = self.gendered.get(noun)
            if noun_gender is not None:
                if noun_gender == gender:
                    return None
                continue
            if scan.quoted(bisect.bisect_right(scan.para_starts, ns) - 1, ns):
                continue  # “nobody hit me”: the speaker's words, not someone in the story
            if last is not None and noun in self.config.titles and self._definite_title(text, ns):
                continue  # "the minister explained": the office holder named before
            if _names_someone(text, ns, ne, mentions):
                continue  # "the president of the Community, Isabel ..." is her
            return None
        if self.someone_re is not None and self.someone_re.search(text, reach, start):
            return None
        if last is None:
            # "A man has been set alight ... / He is in hospital": nobody named, but a man
            # described further back.
            for ns, _, noun in scan.nouns_between(0, reach):
                if self.gendered.get(noun) == gender and not scan.quoted(bisect.bisect_right(scan.para_starts, ns) - 1, ns):
                    return None
        if last is not None:
            person = last.people[0]
            after = self._counterpart(text, word.lower(), self.pronouns[word.lower()][1], end)
            message = (
                f"{self.rule.message}: ‘{word}’ has nobody in reach to refer to, and the last "
                f"person named is {_why(person)} (line {doc.line_col(last.start)[0]}); if it is "
                f"{person.name}, write ‘{_with_case(word, after)}’"
            )
        else:
            message = (
                f"{self.rule.message}: ‘{word}’ has nobody named before it to refer to; the translation "
                f"may have guessed whose it is (a woman's? a government's?): check who is meant"
            )
        return self.rule.finding(doc, start, end, None, level=Level.FLAG, message=message)

    def _dash_attribution(self, text: str, start: int, end: int) -> bool:
        """ “Italy – he assures – has what it takes”: the narrator's words inside a quotation."""
        if not _DASH_BEFORE.search(text, max(0, start - 3), start):
            return False
        m = _DASH_AFTER.match(text, end, end + 40)
        return bool(m) and m.group(1) in self.verbs

    def _definite_title(self, text: str, ns: int) -> bool:
        """ "the minister", "the Prime Minister", "The Deputy Foreign Minister": "the" and
        title words only before the noun."""
        m = _DEFINITE_TITLE.search(text, max(0, ns - 60), ns)
        return bool(m) and all(w.lower() in self.config.titles for w in m.group(1).split())

    def _rewrite(self, scan: "_Scan", word: str, start: int, end: int, person: Person, mention: Mention):
        doc, text = scan.doc, scan.doc.text
        counterpart = self.pronouns[word.lower()][1]
        after = _with_case(word, self._counterpart(text, word.lower(), counterpart, end))
        level = Level.FIX if person.level == "fix" else Level.SUGGEST
        if word.lower() == "her" and after.lower() == "his" and not self._noun_follows_surely(text, end):
            level = Level.SUGGEST  # "gave her flowers": an object, not a possessive
        message = (
            f"{self.rule.message}: ‘{word}’ refers to {scan.why(person)} (named on line "
            f"{doc.line_col(mention.start)[0]}); write ‘{after}’"
        )
        return self.rule.finding(doc, start, end, after, level=level, message=message)

    def _follows_subject(self, word: str, text: str, end: int) -> bool:
        """A possessive or reflexive takes the subject of its clause; an object pronoun never
        does ("Scholz said he agreed with her": her is someone else)."""
        return word in self.possessives or word in self.reflexives or (word in self.standalone and self._noun_follows(text, end))

    def _bound(self, scan, word, person, mention, si, sent_start, start, opens, crossing) -> bool:
        """Is the pronoun tied to ``person`` by grammar? Yes when (a) it is a subject right
        after a verb of saying whose subject is the person ("Sherman, meanwhile, reported
        that he had insisted"; not "Peskov said the Kremlin had nothing to add to what she
        had said"); (b) it opens a sentence or follows a quotation, and the person is the
        subject of the sentence before or of its own ("... And he seemed", "...,” he said.").
        (c), a possessive or reflexive after such a pronoun, is handled in `_judge`."""
        doc, text = scan.doc, scan.doc.text
        subject_here = mention.start >= sent_start and _is_subject(text, sent_start, mention, self.config)
        if word in self.subjects and subject_here and self.report_re.fullmatch(text, mention.end, start) is not None:
            return True
        if opens and word in self.subjects:
            mi = bisect.bisect_right(scan.sent_starts, mention.start) - 1
            if 0 <= mi < si and (crossing or mi == si - 1) and _is_subject(text, doc.sentences[mi][0], mention, self.config):
                return True
            return subject_here  # "Sherman said: “...,” he added."
        return False

    def _slots(self, scan: "_Scan", start: int, end: int) -> list[Slot]:
        """Everyone named or described in [start, end), each person once, in order."""
        return self._named_slots(scan, start, end) + self._noun_slots(scan, start, end)

    def _named_slots(self, scan: "_Scan", start: int, end: int) -> list[Slot]:
        """Everyone named in [start, end), each person once, in order (cheap: no word scan)."""
        slots: list[Slot] = []
        seen: dict[tuple, Slot] = {}
        for m in scan.cast.between(start, end):
            key = tuple(id(p) for p in m.people)
            if key in seen:
                seen[key].mention = m  # the latest mention counts for reach
                continue
            label = m.people[0].why if len(m.people) == 1 else " or ".join(p.name for p in m.people) + " (same surname)"
            seen[key] = Slot(label, m.gender, m)
            slots.append(seen[key])
        return slots

    def _noun_slots(self, scan: "_Scan", start: int, end: int) -> list[Slot]:
        """Everyone described in [start, end) ("a soldier") who is not a named person's
        title or apposition, in order: the slots `_slots` puts after the named ones."""
        found = scan.nouns_between(start, end)
        if not found:
            return []
        mentions = scan.cast.between(start, end)
        return [Slot(f"the {noun}", self.gendered.get(noun)) for ns, ne, noun in found if not _names_someone(scan.doc.text, ns, ne, mentions)]

    def _opens_topic(self, text: str, sent_start: int, start: int, end: int) -> bool:
        """Does the pronoun continue the previous paragraph's topic? It does when it opens its
        sentence ("And he seemed"), follows a quotation ("...,” he said") or a verb of saying
        follows it."""
        before = text[sent_start:start]
        words = before.split()
        if _SENTENCE_START.match(before.strip()) or (len(words) == 1 and words[0].strip(",") in self.openers):
            return True
        if _CLOSING_QUOTE_BEFORE.search(before) or _INTRO_PHRASE.match(before):
            return True
        nxt = _NEXT_WORD.match(text, end)
        return bool(nxt and nxt.group(1) in self.verbs)

    def _country(self, doc, word: str, start: int, end: int, sent_start: int):
        """Nobody in reach, a government named before the pronoun: "it/its" is meant."""
        text = doc.text
        suggestion = self.country.get(word.lower())
        if suggestion is None or self.government_re is None or self._opens_topic(text, sent_start, start, end):
            return None
        names = []
        for g in self.government_re.finditer(text, sent_start, start):
            the = text[max(0, g.start() - 4):g.start()].lower() == "the "
            if not the and g.group() in self.config.article_places:
                continue  # "West said his": a man called West
            name = "the " + g.group() if the else g.group()
            if name not in names:
                names.append(name)
        if not names:
            return None
        who = " or ".join(names[-2:])
        message = (
            f"{self.rule.message}: ‘{word}’ has no person to refer to; if it stands for {who} "
            f"(a country or government), write ‘{_with_case(word, suggestion)}’"
        )
        return self.rule.finding(doc, start, end, None, level=Level.FLAG, message=message)

    def _first_government(self, text: str, start: int, end: int) -> int:
        """Where the first country or government in [start, end) is named (``end`` if none)."""
        if self.government_re is None:
            return end
        for g in self.government_re.finditer(text, start, end):
            the = text[max(0, g.start() - 4):g.start()].lower() == "the "
            if the or g.group() not in self.config.article_places:
                return g.start() - 4 if the else g.start()
        return end

    def _counterpart(self, text: str, word: str, counterpart: str, end: int) -> str:
        """his -> her before a noun, hers alone; her -> his before a noun, him otherwise."""
        if word in self.standalone and not self._noun_follows(text, end):
            return self.standalone[word]
        return counterpart

    def _noun_follows(self, text: str, end: int) -> bool:
        nxt = _NEXT_WORD.match(text, end)
        return bool(nxt) and nxt.group(1).lower() not in self.not_nouns

    def _noun_follows_surely(self, text: str, end: int) -> bool:
        """"her Russian counterpart", "her own": a word that cannot be the object of the verb
        before "her" ("gave her flowers" could be)."""
        nxt = _NEXT_WORD.match(text, end)
        return bool(nxt) and (nxt.group(1)[0].isupper() or nxt.group(1).lower() == "own")


class _Scan:
    """One document's pass: its cast, unit starts, quotation marks and decisions so far."""

    def __init__(self, doc, cast: Cast, found: list, nouns: Callable[[], list[tuple[int, int, str]]]):
        self.doc, self.cast = doc, cast
        self._find_nouns = nouns  # the document's, in order, found when first asked for
        self.nouns: list[tuple[int, int, str]] | None = None
        self._noun_starts: list[int] = []
        self.found, self._found_starts = found, [m.start() for m in found]  # every pronoun, in order
        self.para_starts = [s for s, _ in doc.paragraphs]
        self.sent_starts = [s for s, _ in doc.sentences]
        self.bound: dict[tuple[int, str], tuple[Person, Mention]] = {}  # (sentence, gender) -> referent
        self._quotes: dict[int, list[tuple[int, str]]] = {}
        self._no_single: dict[int, int] = {}  # paragraphs without a ‘ -> their end
        self._why: dict[int, tuple[Person, str]] = {}

    def why(self, person: Person) -> str:
        """`_why`, once per person: a person named all through a long file gathers evidence
        in proportion, and sorting it for every pronoun would cost its square."""
        hit = self._why.get(id(person))
        if hit is None:
            hit = self._why[id(person)] = (person, _why(person))
        return hit[1]

    def pronouns_between(self, start: int, end: int) -> list:
        """The pronouns in [start, end) from the document's one scan, as a scan of just
        [start, end) would find them (they are whole words, none crosses a sentence start
        or the pronoun at ``end``)."""
        starts = self._found_starts
        return self.found[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def quoted(self, k: int, pos: int) -> bool:
        """`_quoted` for a position in paragraph ``k``; a paragraph without a ‘ (most) is
        not searched backwards for one at every pronoun."""
        quotes = self._quotes.get(k)
        if quotes is None:
            ps, pe = self.doc.paragraphs[k]
            text = self.doc.text
            quotes = self._quotes[k] = [(q.start(), q.group()) for q in _DOUBLE_QUOTES.finditer(text, ps, pe)]
            if text.find("‘", ps, pe) < 0:
                self._no_single[k] = pe
        if pos <= self._no_single.get(k, -1):  # no ‘ between the paragraph's start and pos
            i = bisect.bisect_left(quotes, (pos, ""))
            return i % 2 == 1 or (i > 0 and quotes[i - 1][1] == "“")
        return _quoted(self.doc.text, self.doc.paragraphs[k][0], pos, quotes)

    def nouns_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Person nouns ("a soldier", "the official") and epithets in [start, end)."""
        if self.nouns is None:
            self.nouns = self._find_nouns()
            self._noun_starts = [n[0] for n in self.nouns]
        starts = self._noun_starts
        return [n for n in self.nouns[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)] if n[1] <= end]


def _spellings(word: str) -> tuple[str, ...]:
    """How a lower-case word can be written so that its lower case is ``word``: as it is,
    capitalised, and with a Kelvin sign for a "k" (the one character besides the letters
    themselves whose lower case is an ASCII letter)."""
    out = (word, word[0].upper() + word[1:])
    return out + ("\u212a" + word[1:],) if word[0] == "k" else out


def _compile_any(patterns: list, option: str):
    """One regex matching any of ``patterns`` (None for none), refusing a bad one by name."""
    if not patterns:
        return None
    try:
        return regex.compile("|".join(f"(?:{p})" for p in patterns))
    except regex.error as exc:
        raise OptionError(option, f"bad regex: {exc}") from None


def _is_epithet(text: str, n, endings: tuple[str, ...]) -> bool:
    """ "idolize the Joker": a capitalised agent noun after a lower-case "the" names someone."""
    word = n.group()
    if not (word[0].isupper() and text[max(0, n.start() - 4):n.start()] == "the " and word.lower().endswith(endings)):
        return False
    from ..lexicon import dictionary_case

    return dictionary_case(word) in ("lower", "both")  # a common noun ("joker"), not "the Easter holidays"


def _names_someone(text: str, ns: int, ne: int, mentions: list[Mention]) -> bool:
    """A noun that is a named person's title or apposition ("the vice chancellor, Sergei
    Riabkov", "Mykhailo, a 29-year-old soldier") is that person, not someone else."""
    for m in mentions:
        if 0 <= m.start - ne <= 40 and _TITLE_BEFORE_NAME.fullmatch(text, ne, m.start):
            return True
        if 0 <= ns - m.end <= 50 and _APPOSITION.fullmatch(text, m.end, ns):
            return True
    return False


def _is_subject(text: str, sent_start: int, mention: Mention, config: NameConfig) -> bool:
    """The name opens its sentence, after at most an introductory phrase and title words
    ("On the other hand, Sherman", "US Deputy Secretary of State Wendy Sherman"; not "In
    Austin"), and is not a possessor ("Benzema’s agent maintained")."""
    if text[mention.end:mention.end + 1] in ("’", "'"):
        return False
    m = _SUBJECT_PREFIX.fullmatch(text, sent_start, mention.start)
    if m is None:
        return False
    return all(
        w.lower() in config.titles or w in config.places or w in config.honorifics or w.isupper() or _POSSESSOR.search(w)
        for w in m.group("titles").split()
    )


def _quoted(text: str, para_start: int, pos: int, quotes: list[tuple[int, str]]) -> bool:
    """Inside a quotation: after an odd number of double quotes, or right after an opening
    one (a mis-oriented “ may close a quotation, so either reading counts as inside).
    Single quotes count when a ‘ is open: ’ between letters is an apostrophe."""
    i = bisect.bisect_left(quotes, (pos, ""))
    if i % 2 == 1 or (i and quotes[i - 1][1] == "“"):
        return True
    opening = text.rfind("‘", para_start, pos)
    if opening >= 0:
        return _CLOSING_SINGLE.search(text, opening, pos) is None
    return False


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1] + 2:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _with_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[0].isupper():
        return word[0].upper() + word[1:]
    return word


_RANK = {source: i for i, (source, _) in enumerate(STRENGTH)}


def _why(person: Person) -> str:
    """The person and every piece of evidence that agrees with the decision, strongest first."""
    agree = sorted((e for e in person.evidence if e.gender == person.gender), key=lambda e: _RANK.get(e.source, 9))
    word = "female" if person.gender == "she" else "male"
    details = []
    for e in agree:
        if e.detail not in details:
            details.append(e.detail)
    return f"{person.name}: {word}, from " + "; ".join(details[:3])
