"""Running the cleaner over a repository: files, per-file settings, rules, exit status.

The command line (and the pre-commit hooks) call this: each file gets the settings of
its nearest configuration, rule sets are loaded once per distinct set of rule folders and
selections, and whether a run fails is decided by each file's ``fail-on`` level.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .config import ConfigError, Settings, clear_cache, is_excluded, settings_for
from .files import iter_files
from .model import Change, FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Job:
    path: str
    settings: Settings
    stdin_name: str | None = None  # for "-": the file name given with --stdin-filename


@dataclass
class Done:
    outcome: Any  # api.FileOutcome
    settings: Settings

    @property
    def result(self) -> FileResult:
        return self.outcome.result


def plan(
    paths: Iterable[str],
    cli: dict[str, Any] | None = None,
    config: str | None = None,
    notes: list[str] | None = None,
    stdin_name: str | None = None,
) -> list[Job]:
    """The files to clean, each with its settings; excluded files are left out, even when
    named on the command line (pre-commit names every staged file). Folders are walked
    skipping what git ignores (unless ``respect-gitignore = false``); a folder with no
    article to clean is named in ``notes``. Stdin (``-``) takes the settings and format
    of ``stdin_name`` when given."""
    from .ignore import clear_cache as clear_ignore_cache, is_ignored

    clear_cache()
    clear_ignore_cache()
    jobs = []
    for arg in paths:
        walked = arg != "-" and os.path.isdir(arg)
        ignored = is_ignored if walked and settings_for(arg, cli, config).respect_gitignore else None
        if ignored and is_ignored(arg, True):  # a folder git ignores, named on purpose: walk it all
            ignored = None
        found = excluded = 0
        for path in iter_files([arg], ignored=ignored):
            if path == "-":
                jobs.append(Job(path, settings_for(stdin_name or path, cli, config), stdin_name))
                continue
            settings = settings_for(path, cli, config)
            if is_excluded(path, settings):
                excluded += 1
                continue
            found += 1
            jobs.append(Job(path, settings))
        if walked and not found and notes is not None:
            why = f"; {excluded} excluded by the configuration" if excluded else ""
            notes.append(f"{arg}: no article to clean (.txt, .md, .markdown, .html, .htm){why}")
    return jobs


class RuleSets:
    """Rules loaded once per set of rule folders, selected once per select/ignore."""

    def __init__(self):
        self._loaded: dict[tuple, list] = {}
        self._selected: dict[tuple, list] = {}
        self._cleaners: dict[tuple, Any] = {}

    def for_settings(self, s: Settings) -> list:
        key = (s.rules, s.select, s.ignore)
        if key not in self._selected:
            from .packs import load_rules, select_rules, unknown_selectors

            if s.rules not in self._loaded:
                self._loaded[s.rules] = load_rules(s.rules)
            rules = self._loaded[s.rules]
            for name in ("select", "ignore"):
                unknown = unknown_selectors(rules, getattr(s, name))
                if unknown:
                    where = f"--{name}" if s.source(name) == "command line" else f"{s.source(name)}: {name}"
                    raise ConfigError(f"{where}: no rule, pack or category named {', '.join(unknown)}")
            self._selected[key] = select_rules(rules, s.select, s.ignore)
        return self._selected[key]

    def cleaner_for(self, s: Settings):
        """The `Cleaner` for a file's settings: one per distinct configuration."""
        from .core import Cleaner

        options = options_for(s)
        people, house = options.settings["people"], options.settings["house_style"]
        source = options.settings.get("source_language")
        key = (s.rules, s.select, s.ignore, options.unsafe_fixes, tuple(sorted(people.items())), tuple(house), source)
        if key not in self._cleaners:
            cleaner = Cleaner(s.rules, select=s.select, ignore=s.ignore, unsafe_fixes=options.unsafe_fixes,
                              people=people, house_style=house, source_language=source)
            # Rules are loaded now, so that a broken pack or an unknown selector stops the
            # run before any file, unless an earlier run loaded these very packs with this
            # configuration (its fingerprint is remembered): then only a file the result
            # cache does not know loads them.
            if cleaner.known_fingerprint() is None:
                cleaner._use_rules(self.for_settings(s))
            self._cleaners[key] = cleaner
        return self._cleaners[key]


def options_for(s: Settings):
    from .engine import Options

    settings: dict[str, Any] = {"people": s.people_map, "house_style": list(s.house_style)}
    if s.source_language:
        settings["source_language"] = s.source_language
    return Options(unsafe_fixes=s.unsafe_fixes, settings=settings)


def run(jobs: list[Job], rule_sets: RuleSets | None = None, stdin: bytes | None = None, *,
        workers: int | None = 1, use_cache: bool = False) -> Iterator[Done]:
    """Clean every job (reading stdin for ``-``), streaming the results in the jobs' order;
    one bad file never stops the batch. Rules are loaded (and configuration or pack errors
    raised) before this returns; ``workers`` and ``use_cache`` are those of
    `batch.clean_all` (None: every core)."""
    from .batch import clean_all

    rule_sets = rule_sets or RuleSets()
    cleaners = [rule_sets.cleaner_for(job.settings) for job in jobs]
    stdin_name = next((j.stdin_name for j in jobs if j.path == "-" and j.stdin_name), None)
    outcomes = clean_all(zip((j.path for j in jobs), cleaners), workers=workers, use_cache=use_cache,
                         stdin=stdin, stdin_name=stdin_name)
    return (Done(outcome, job.settings) for job, outcome in zip(jobs, outcomes))


def failing(change: Change, settings: Settings) -> bool:
    """A finding at or above the file's ``fail-on`` level."""
    return change.finding.level.rank >= settings.fail_on.rank


def exit_code(done: list[Done], *, after_fix: bool, unused: bool = False) -> int:
    """0 nothing (at or above fail-on) found, 1 findings, 2 an input error (or a rule
    skipped, with ``fail-on: ...,skipped``)."""
    if any(d.result.error or (d.result.notices and d.settings.fail_on_skipped) for d in done):
        return EXIT_ERROR
    for d in done:
        changes = d.result.remaining if after_fix else d.result.changes
        if any(failing(c, d.settings) for c in changes if c.finding.rule != "cleaner/unused-suppression"):
            return EXIT_FINDINGS
        if unused and d.result.unused_suppressions:
            return EXIT_FINDINGS
    return EXIT_CLEAN


def show_unused(done: list[Done]) -> None:
    """Report unused inline suppressions alongside the findings."""
    for d in done:
        r = d.result
        if r.unused_suppressions:
            r.changes = sorted(r.changes + r.unused_suppressions, key=lambda c: (c.start, c.end, c.finding.rule))


def add_suppressions(done: list[Done], rule_sets: RuleSets | None = None) -> tuple[int, int, int]:
    """Write ``disable`` directives above the blocks with findings until each file passes.

    Plain-text files are left alone: a directive there would be a visible line of the
    article, so their findings are for a baseline. Returns (files written, findings not
    suppressed inline, plain-text files left for a baseline)."""
    from .api import write_back
    from .document import Document
    from .engine import clean_text
    from .files import WriteRefused, format_of
    from .suppression import suppress_until_clean

    rule_sets = rule_sets or RuleSets()
    written = left = plain = 0
    for d in done:
        r, source = d.result, d.outcome.source
        if r.error or not (r.changes or r.unused_suppressions) or source is None or r.path == "-":
            continue
        fmt = format_of(r.path)
        if fmt == "text":
            plain += 1
            continue
        rules, options = rule_sets.for_settings(d.settings), options_for(d.settings)

        def clean(text, path=r.path, fmt=fmt, rules=rules, options=options):
            return clean_text(text, rules, options, path=path, fmt=fmt, newline=source.newline)

        def make_doc(text, path=r.path, fmt=fmt):
            return Document(text, path=path, format=fmt, newline=source.newline)

        r.cleaned, missed = suppress_until_clean(r.original, clean, make_doc)
        left += missed
        try:
            written += write_back(d.outcome)
        except (OSError, WriteRefused) as exc:
            r.error = f"could not write: {getattr(exc, 'strerror', None) or exc}"
    return written, left, plain


# -- the other commands, each with the same configuration as `check` -------------------

def clean_files(paths: list[str], cli: dict[str, Any] | None = None, config: str | None = None) -> list[FileResult]:
    """Clean named files (``cleaner eval``'s articles) with each one's settings; nothing
    is excluded: the caller named them."""
    clear_cache()
    rule_sets = RuleSets()
    jobs = [Job(p, settings_for(p, cli, config)) for p in paths]
    return [d.result for d in run(jobs, rule_sets)]


def review_items(paths: Iterable[str], cli: dict[str, Any] | None = None, config: str | None = None) -> list:
    """Every file under ``paths`` cleaned for the review page, each with its own settings
    (suggestions always shown: a person accepts or rejects them there)."""
    from dataclasses import replace

    from .review import review_inputs

    rule_sets = RuleSets()
    items = []
    for job in plan(paths, cli, config):
        options = options_for(job.settings)
        options = replace(options, unsafe_fixes=True)
        items.extend(review_inputs([job.path], rule_sets.for_settings(job.settings), options))
    return items


def apply_plan(decisions, paths: Iterable[str], cli: dict[str, Any] | None = None, config: str | None = None) -> list:
    """`decisions.plan` for every file under ``paths`` with its own settings; the batch is
    planned whole before anything is written, and refused whole when any file fails."""
    from .decisions import DecisionsError, plan as plan_decisions

    rule_sets = RuleSets()
    out, problems = [], []
    for job in plan(paths, cli, config):
        try:
            out += plan_decisions(decisions, [job.path], rule_sets.for_settings(job.settings),
                                  settings=options_for(job.settings).settings)
        except DecisionsError as exc:
            problems += [line.strip() for line in str(exc).splitlines()[1:]] or [str(exc)]
    if problems:
        raise DecisionsError("nothing written:\n  " + "\n  ".join(problems))
    return out


def scope_notes(jobs: list[Job], rule_sets: RuleSets) -> list[str]:
    """Why a narrowed selection turns fixes into flags: rules scoped to a source language
    (``pronouns/gender`` fixes only on articles from Spanish, Italian, Portuguese) need
    the language rules that infer it; without them every article's source is unknown
    and only the scoped rules' flag-level twins run."""
    notes = []
    seen = set()
    for job in jobs:
        s = job.settings
        key = (s.rules, s.select, s.ignore)
        if not s.select or s.source_language or key in seen:
            continue
        seen.add(key)
        selected = rule_sets.for_settings(s)
        scoped = sorted(r.id for r in selected if r.when.get("source"))
        if scoped and not any(r.kind == "language" and not r.when for r in selected):
            notes.append(
                f"--select {','.join(s.select)} leaves out the language rules that infer each article's source "
                f"language, so rules that fix only for some source languages ({', '.join(scoped)}) do not run "
                "and their flag-level twins report instead; set `source-language` (or --source-language) "
                "or add `language` to the selection"
            )
    return notes
