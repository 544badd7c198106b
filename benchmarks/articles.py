"""Distinct-looking articles for benchmarks: copies of real articles with other people and numbers.

A corpus made by copying the same five articles lets any cache keyed by text, sentence
or name answer every copy after the first, which real corpora never allow. Each copy
made here keeps its model's structure and artifacts but gives every person another
first name (of the same gender, from cleaner's own first-name table) and another
surname, consistently through the copy, and shifts every digit, so no two copies share
a name, a number, or most sentences. Deterministic: the same arguments give the same
texts.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

# Common surnames of the languages cleaner's sources are translated from, and English.
SURNAMES = """Abbott Acosta Adler Almeida Alvarez Arnaud Barker Barros Baxter Bellamy Benoit Bianchi
Blanco Bondarenko Bouchard Brennan Brooks Caldwell Campos Carvalho Castillo Chapman Colombo
Conti Costa Dalton Delgado Dubois Duarte Ellison Esposito Faure Fernandes Ferrari Fischer
Fleming Fontaine Fuentes Galli Garnier Gallo Gomes Greco Guerrero Harlow Hayward Herrera
Hoffmann Ivanova Jansen Keller Kovalenko Lambert Lefebvre Leone Lozano Lucas Lombardi Marchetti
Marino Medina Mercier Molina Morales Moreau Navarro Nunes Orlov Ortega Pereira Petrov Pichler
Quintero Ramos Renard Ricci Rinaldi Rojas Romano Rousseau Salazar Santoro Serrano Sokolov
Soto Tedesco Torres Valente Vargas Vidal Volkov Weber Whitaker Yates Zamora Zanetti""".split()

# Overlapping matches: in "Secretary of State Wendy Sherman" the pair is the second one.
_NAME_PAIR = re.compile(r"\b(?=([A-Z][a-z]+) ((?:[A-Z][a-z]+-)?[A-Z][a-z]{2,})\b)")
_NOT_FIRST = {"German", "Christian", "Israel", "Jordan", "Georgia", "Paris", "Florence", "Victoria"}
_DIGITS = re.compile(r"\d+")


def _first_names(root: Path) -> dict[str, str]:
    """Capitalised first name -> "f" or "m", from cleaner's own table."""
    out = {}
    for line in (root / "cleaner" / "data" / "first_names.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, gender, _ = line.split("\t")
            out[name.capitalize()] = gender
    return out


def _common_words(root: Path) -> frozenset[str]:
    """Lower-case dictionary words: "Will", "Rose", "Mark" open sentences, not only names."""
    text = (root / "cleaner" / "data" / "en_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#") and w.islower())


class Varier:
    """Makes the k-th distinct copy of an article."""

    def __init__(self, root: Path):
        self.firsts = _first_names(root)
        self.common = common = _common_words(root)
        self.pool = {g: sorted(n for n, x in self.firsts.items() if x == g and n.lower() not in common and len(n) > 3)
                     for g in "fm"}

    def people(self, text: str) -> tuple[dict[str, str], set[str]]:
        """The first names (with gender) and surnames of the people an article names."""
        firsts, surnames = {}, set()
        for m in _NAME_PAIR.finditer(text):
            first, last = m.groups()
            gender = self.firsts.get(first)
            if (gender and first in self.pool[gender] and first not in _NOT_FIRST and last not in self.firsts
                    and last.lower() not in self.common):
                firsts[first] = gender
                surnames.add(last)
        return firsts, surnames

    def copy(self, text: str, k: int) -> str:
        """The k-th copy (k = 0 is the article itself)."""
        if k == 0:
            return text
        firsts, surnames = self.people(text)
        mapping = {}
        for i, (name, gender) in enumerate(sorted(firsts.items())):
            pool = self.pool[gender]
            mapping[name] = pool[(k * 7919 + i * 104729) % len(pool)]
        for i, name in enumerate(sorted(surnames)):
            new = SURNAMES[(k * 31 + i * 17) % len(SURNAMES)]
            mapping[name] = new + ("" if k < len(SURNAMES) else str(k // len(SURNAMES)).translate(_ROMAN))
        if mapping:
            words = re.compile(r"\b(" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")\b")
            text = words.sub(lambda m: mapping[m.group()], text)
        shift = k % 9 + 1
        return _DIGITS.sub(lambda m: _shift(m.group(), shift), text)


_ROMAN = str.maketrans("0123456789", "abcdefghij")  # suffix letters once the surnames run out


def _shift(digits: str, by: int) -> str:
    out = "".join(str((int(d) + by) % 10) for d in digits)
    if len(out) > 1 and out[0] == "0":
        out = "1" + out[1:]
    return out


def distinct_articles(root: Path, count: int, patterns: tuple[str, ...] = ("seeds/0*.txt",)) -> list[str]:
    """``count`` distinct copies of the articles matching ``patterns`` (relative to ``root``)."""
    return list(_take(root, patterns, count=count))


def distinct_corpus(root: Path, megabytes: float, patterns: tuple[str, ...], series: int = 0) -> list[str]:
    """Distinct copies of the articles matching ``patterns`` until they make ``megabytes`` of
    UTF-8; each ``series`` gives other copies (a benchmark's repeats must not meet the texts
    of earlier repeats in its memos)."""
    return list(_take(root, patterns, size=megabytes * 1e6, first=1 + series * 1000))


def _take(root: Path, patterns: tuple[str, ...], count: int | None = None, size: float | None = None,
          first: int = 0) -> Iterator[str]:
    models = [p.read_text(encoding="utf-8") for pat in patterns for p in sorted(root.glob(pat)) if p.is_file()]
    if not models:
        raise FileNotFoundError(f"no articles match {patterns} under {root}")
    varier = Varier(root)
    made = total = 0
    while (count is None or made < count) and (size is None or total < size):
        text = varier.copy(models[made % len(models)], first + made // len(models))
        total += len(text.encode("utf-8"))
        made += 1
        yield text
