"""Running the cleaner over a repository: files, per-file settings, rules, exit status.

The command line (and the pre-commit hooks) call this: each file gets the settings of
its nearest configuration, rule sets are loaded once per distinct set of rule folders and
selections, and whether a run fails is decided by each file's ``fail-on`` level.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .config import ConfigError, Settings, clear_cache, is_excluded, settings_for
from .files import iter_files
from .model import Change, FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Job:
    path: str
    settings: Settings


@dataclass
class Done:
    outcome: Any  # api.FileOutcome
    settings: Settings

    @property
    def result(self) -> FileResult:
        return self.outcome.result


def plan(paths: Iterable[str], cli: dict[str, Any] | None = None, config: str | None = None) -> list[Job]:
    """The files to clean, each with its settings; excluded files are left out, even when
    named on the command line (pre-commit names every staged file)."""
    clear_cache()
    jobs = []
    for path in iter_files(paths):
        settings = settings_for(path, cli, config)
        if path != "-" and is_excluded(path, settings):
            continue
        jobs.append(Job(path, settings))
    return jobs


class RuleSets:
    """Rules loaded once per set of rule folders, selected once per select/ignore."""

    def __init__(self):
        self._loaded: dict[tuple, list] = {}
        self._selected: dict[tuple, list] = {}

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


def options_for(s: Settings):
    from .engine import Options

    return Options(unsafe_fixes=s.unsafe_fixes, settings={"people": s.people_map, "house_style": list(s.house_style)})


def run(jobs: list[Job], rule_sets: RuleSets | None = None, stdin: bytes | None = None,
        on_done: Callable[[Done], None] | None = None) -> list[Done]:
    """Clean every job (reading stdin for ``-``); one bad file never stops the batch.

    ``on_done`` is called with each file as soon as it is cleaned (`cleaner fix` writes it
    then, so an editor's save is lost for no longer than one file takes)."""
    from . import api

    rule_sets = rule_sets or RuleSets()
    done = []
    for job in jobs:
        rules = rule_sets.for_settings(job.settings)
        options = options_for(job.settings)
        if job.path == "-":
            outcome = api.clean_bytes(stdin or b"", rules, options, path="-")
        else:
            outcome = api.clean_path(job.path, rules, options)
        d = Done(outcome, job.settings)
        done.append(d)
        if on_done is not None:
            on_done(d)
    return done


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


def add_suppressions(done: list[Done]) -> tuple[int, int]:
    """Write a ``disable`` directive above every block with findings.

    Returns (files changed, findings that could not be suppressed inline)."""
    from .api import write_back
    from .document import Document
    from .files import WriteRefused, format_of
    from .suppression import add_suppressions as annotate

    written = skipped = 0
    for d in done:
        r, source = d.result, d.outcome.source
        if r.error or not r.changes or source is None or r.path == "-":
            continue
        doc = Document(r.original, path=r.path, format=format_of(r.path), newline=source.newline)
        r.cleaned, missed = annotate(r, doc)
        skipped += missed
        try:
            written += write_back(d.outcome)
        except (OSError, WriteRefused) as exc:
            r.error = f"could not write: {getattr(exc, 'strerror', None) or exc}"
    return written, skipped
