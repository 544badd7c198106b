"""Reports written file by file as a batch streams in, and the progress bar beside them.

The text and GitHub reports print each file's lines as soon as it is done; the JSON
report writes each file's entry as it comes and closes the document at the end, so it
is valid JSON and byte-identical to `formatters.json_report` of the whole run, while
memory holds one file at a time. A format that needs the whole run at once is built at
the end from results stripped of their texts.
"""
from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import replace
from typing import IO, Callable

from . import formatters
from .model import FileResult


class Progress:
    """A progress bar (files, rate, time left) on stderr, only when stderr is a terminal
    and not in CI; everything else written while it shows goes through `write`.

    tqdm draws it: a well-kept library that handles terminal width, rate smoothing and
    redrawing around other output; imported only when a bar is shown."""

    def __init__(self, total: int, *, enabled: bool = True, stream: IO[str] | None = None, unit: str = "file"):
        stream = stream or sys.stderr
        self.bar = None
        if enabled and total > 1 and _is_terminal(stream) and not os.environ.get("CI"):
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - a dependency
                return
            tqdm.monitor_interval = 0  # no monitor thread: worker processes may be forked later
            self.bar = tqdm(total=total, unit=unit, file=stream, delay=0.5, leave=False, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def write(self, stream: IO[str], text: str) -> None:
        if not text:
            return
        if self.bar is None:
            stream.write(text)
            return
        from tqdm import tqdm

        with tqdm.external_write_mode(file=stream):
            stream.write(text)
            stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _strip(result: FileResult) -> FileResult:
    """A result kept for a report built at the end of a run (SARIF, JUnit): without its
    cleaned text and edits; the original stays, as lines and columns are counted in it."""
    return replace(result, cleaned="", edits=[])


class Report:
    """One report of a run, fed one file result at a time.

    ``fmt``: text, json, jsonl, github, or any format `outputs.render` builds whole (SARIF,
    JUnit). ``statistics``: instead of each finding, a count per rule (as ruff's
    ``--statistics``) with its level and category. ``quiet``: no summary line.
    ``output`` (``-o FILE``): the report is gathered and written to that file atomically
    when the report is closed, so a reader never sees half of it."""

    def __init__(self, fmt: str, mode: str, out: IO[str], *, output: str | None = None, statistics: bool = False,
                 quiet: bool = False, write: Callable[[IO[str], str], None] | None = None):
        import io

        self.output = output if output not in (None, "-") else None
        if self.output is not None:
            out = io.StringIO()
            write = None  # the progress bar shares only the terminal
        self.fmt, self.mode, self.out = fmt, mode, out
        self.statistics, self.quiet = statistics, quiet
        self._write = write or (lambda stream, text: stream.write(text))
        self.tally = formatters.Tally()
        self.per_rule: Counter[str] = Counter()
        self.about: dict[str, tuple[str, str]] = {}
        self.kept: list[FileResult] = []
        self.files = 0

    def add(self, r: FileResult) -> None:
        self.tally.add(r)
        if self.statistics:
            for c in r.changes:
                f = c.finding
                self.per_rule[f.rule] += 1
                self.about.setdefault(f.rule, (f.level.value, f.category))
            if r.error:
                self._write(self.out, f"{r.path}: error: {r.error}\n")
            return
        if self.fmt == "text":
            lines = formatters.text_file_lines(r, mode=self.mode)
            self._write(self.out, "".join(line + "\n" for line in lines))
        elif self.fmt == "github":
            self._write(self.out, formatters.github_report([r]))
        elif self.fmt == "jsonl":
            from .outputs import jsonl_report

            self._write(self.out, jsonl_report([r]))
        elif self.fmt == "json":
            body = formatters.dumps_json(formatters.json_entry(r), indent=2)
            head = '{\n  "version": %d,\n  "files": [\n' % formatters.JSON_VERSION if not self.files else ",\n"
            self._write(self.out, head + "    " + body.replace("\n", "\n    "))
        else:
            self.kept.append(_strip(r))
        self.files += 1

    def close(self) -> None:
        if self.out is None:  # closed already
            return
        self._finish()
        if self.output is not None:
            from .outputs import emit

            text, self.out = self.out.getvalue(), None
            emit(text, self.output)
        else:
            self.out = None

    def _finish(self) -> None:
        if self.statistics:
            self._write(self.out, self.statistics_table())
            if not self.quiet:
                self._write(self.out, self.tally.summary(mode=self.mode) + "\n")
            return
        if self.fmt == "text":
            if not self.quiet:
                self._write(self.out, self.tally.summary(mode=self.mode) + "\n")
        elif self.fmt == "json":
            if self.files:
                self._write(self.out, "\n  ]\n}\n")
            else:
                self._write(self.out, '{\n  "version": %d,\n  "files": []\n}\n' % formatters.JSON_VERSION)
        elif self.fmt not in ("github", "jsonl"):
            from .outputs import render

            self._write(self.out, render(self.kept, self.fmt, mode=self.mode))

    def statistics_table(self) -> str:
        """One line per rule, most frequent first: count, rule id, level, category."""
        if not self.per_rule:
            return ""
        width = max(len(rule) for rule in self.per_rule)
        rows = sorted(self.per_rule.items(), key=lambda item: (-item[1], item[0]))
        return "".join(
            f"{count:>6}  {rule:<{width}}  [{self.about[rule][0]}] {self.about[rule][1]}\n" for rule, count in rows
        )
