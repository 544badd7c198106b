"""The `cleaner` command line: a thin shell over `cleaner.api`.

Exit codes: 0 nothing found (or everything found was fixed), 1 findings remain,
2 usage, configuration or input error.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .outputs import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def display_path(path: str) -> str:
    from .formatters import display_path as show

    return show(path)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def rule_options(f):
    f = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Extra rule pack folder or file (repeatable).")(f)
    f = click.option("--select", multiple=True, help="Only these rule ids, packs or categories (comma-separated).")(f)
    f = click.option("--ignore", multiple=True, help="Skip these rule ids, packs or categories (comma-separated).")(f)
    return f


click.ClickException.exit_code = EXIT_ERROR  # config, pack and input errors exit 2, as usage errors do


def entry() -> None:
    """The console script: run a command, flush its output, and leave without tearing the
    interpreter down (freeing every object and module costs a short run a fifth of its
    time). Nothing is left to do at exit: each written file was closed and renamed, the
    cache entries too, and the worker processes were stopped when the batch ended. An
    unexpected error takes the ordinary way out, traceback and all."""
    import os

    try:
        main(prog_name="cleaner")
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away
        code = code or 1
    os._exit(code or 0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean machine-translation artifacts out of English news articles."""
    import warnings

    if not getattr(warnings.showwarning, "_cleaner", False):
        warnings.showwarning = _plain_warnings(warnings.showwarning)


def _plain_warnings(show):
    """A cache that cannot be used is said in one line, not with the source line that warned."""
    from .cache import CacheWarning

    def plain(message, category, *args, **kwargs):
        if issubclass(category, CacheWarning):
            click.echo(f"warning: {message}", err=True)
        else:
            show(message, category, *args, **kwargs)

    plain._cleaner = True  # type: ignore[attr-defined]
    return plain


def _fail_on(ctx, param, value):
    from .config import parse_fail_on

    if value is None:
        return None
    try:
        parse_fail_on(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def run_options(f):
    """Options of the commands that clean files; each overrides the project's configuration."""
    f = rule_options(f)
    f = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="Use this configuration file instead of discovering one.")(f)
    f = click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply (check: count) `suggest`-level rewrites.")(f)
    f = click.option("--fail-on", callback=_fail_on, default=None, metavar="LEVEL[,skipped]",
                     help="Lowest level that makes the run fail: fix, suggest or flag (default); "
                          "add ',skipped' to fail with exit 2 when a rule was skipped (a regex timed out).")(f)
    f = click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable; adds to the configured ones).")(f)
    f = click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                     help="Report format: text, json, jsonl (one finding a line), github (annotations), "
                          "sarif (code scanning), junit (CI test reports).")(f)
    f = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                     help="Write the report to this file (atomically) instead of standard output.")(f)
    f = click.option("--stdin-filename", default=None, metavar="NAME",
                     help="The file name of what `-` reads: its extension picks the format (.md, .html), "
                          "its folder the configuration; reports use it.")(f)
    f = click.option("--source-language", default=None, metavar="CODE",
                     help="The language the articles were translated from (es, fr, ...) instead of inferring it.")(f)
    f = click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means an error).")(f)
    return f


def batch_options(f):
    """How a batch runs and reports: worker processes, the result cache, quiet, statistics."""
    f = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core; 1 cleans in this process).")(f)
    f = click.option("--no-cache", is_flag=True, help="Neither read nor write the per-file result cache.")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")(f)
    f = click.option("--statistics", is_flag=True, help="Print how many findings each rule made instead of each finding.")(f)
    return f


def dataset_options(f):
    """Cleaning datasets (JSONL, CSV, Parquet) row by row instead of files."""
    f = click.option("--text-column", default=None, help="Treat PATHS as datasets (.jsonl, .csv, .parquet): clean this column, one document a row.")(f)
    f = click.option("--id-column", default=None, help="The dataset column that names a row in reports (default: the row's index from 0).")(f)
    f = click.option("--findings", "findings_file", type=click.Path(dir_okay=False), default=None, help="Dataset: write the findings here as JSON lines (fix: default OUTPUT's name + .findings.jsonl).")(f)
    return f


def _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude, source_language=None) -> dict:
    return {
        "rules": list(rule_dirs),
        "select": _split(select),
        "ignore": _split(ignore),
        "unsafe-fixes": unsafe_fixes,
        "fail-on": fail_on,
        "exclude": list(exclude),
        "source-language": _source_language(source_language),
    }


def _source_language(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    from .config import LANGUAGE_CODE

    if value != "unknown" and not LANGUAGE_CODE.fullmatch(value):
        raise click.BadParameter(f"a language code such as es, fr or it, not {value!r}", param_hint="--source-language")
    return value


def _settings(path: str, cli: dict | None, config_file):
    """The settings in force for ``path`` (for commands that read one configuration)."""
    from .config import ConfigError, clear_cache, settings_for

    clear_cache()
    try:
        return settings_for(path, cli, config_file)
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None


def _run(paths, cli: dict, config_file, stdin_name=None, *, workers=None, no_cache=False):
    """Plan and clean, streaming (`project.Done` per file, in order); a configuration or
    rule pack error exits 2 naming file, line and key, before any file is cleaned. A
    folder with nothing to clean is named on stderr; a run with no file at all exits 2."""
    from .config import ConfigError, settings_for
    from .packs import PackError
    from .project import RuleSets, plan, run, scope_notes

    if stdin_name and "-" not in paths:
        raise click.UsageError("--stdin-filename names what `-` reads; give `-` as the path")
    try:
        notes: list[str] = []
        jobs = plan(paths, cli, config_file, notes, stdin_name)
        rule_sets = RuleSets()
        if not jobs:  # nothing to clean: still refuse broken packs and unknown selectors
            rule_sets.for_settings(settings_for(".", cli, config_file))
        for note in notes:
            click.echo(f"warning: {note}", err=True)
        if not jobs and notes:  # (files named but all excluded pass quietly: pre-commit names them)
            raise click.ClickException("nothing to clean: no article under the folders given")
        stdin = sys.stdin.buffer.read() if any(j.path == "-" for j in jobs) else None
        for note in scope_notes(jobs, rule_sets):
            click.echo(f"note: {note}", err=True)
        return _Stream(len(jobs), run(jobs, rule_sets, stdin, workers=workers, use_cache=not no_cache))
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None
    except PackError as exc:
        raise click.ClickException(f"rule pack error: {exc}") from None


def _refuse_diff_with(fmt: str, output) -> None:
    """A diff and a machine-readable report cannot share one stream: the report would not parse."""
    if fmt != "text" and output is None:
        raise click.UsageError(f"--diff with --format {fmt} would mix a diff into the {fmt} report: "
                               f"add -o FILE to write the report to a file (the diff goes to stdout)")


def _exit(code: int, exit_zero: bool) -> None:
    sys.exit(EXIT_CLEAN if exit_zero and code == EXIT_FINDINGS else code)


class _Stream:
    """The files of a run as they are done, with a progress bar while they come; an
    interrupt stops the workers and says how far the run got."""

    def __init__(self, total: int, done):
        self.total, self.done, self.count = total, done, 0
        self.progress = None

    def __iter__(self):
        from .reporting import Progress

        self.progress = Progress(self.total, enabled=not self.quiet)
        for d in self.done:
            self.count += 1  # handed out: finished (written, reported) unless the run dies with it
            self.progress.update()
            yield d
        self.progress.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if self.progress is not None:
            self.progress.close()
        self.done.close()  # stops the workers at once
        from .files import Interrupted

        if kind is not None and issubclass(kind, (KeyboardInterrupt, Interrupted)):
            if self._report is not None:  # what was done, as a complete report (JSON stays valid)
                self._report.close()
            click.echo(f"cleaner: interrupted after {self.count} of {self.total} files "
                       "(each finished file is written)", err=True)

    quiet = False
    _report = None

    def report(self, fmt: str, mode: str, out, *, output=None, statistics=False, quiet=False):
        """The run's report, to ``out`` or (``-o FILE``) written atomically to ``output``
        when it is closed."""
        from .reporting import Report

        self.quiet = quiet
        self._report = Report(fmt, mode, out, output=output, statistics=statistics, quiet=quiet, write=self.write)
        return self._report

    def write(self, stream, text: str) -> None:
        if self.progress is None:
            stream.write(text)
        else:
            self.progress.write(stream, text)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@run_options
@batch_options
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of what `fix` would do.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Hide the findings recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False), help="Record every finding in this baseline file and exit 0.")
@click.option("--add-suppressions", is_flag=True, help="Write `cleaner: disable=...` directives (Markdown, HTML) until the files pass; "
              "with --write-baseline, record the rest (plain text) in the baseline.")
@click.option("--show-unused-suppressions", is_flag=True, help="Report inline suppressions that suppress nothing (and fail on them).")
@dataset_options
def check(paths, rule_dirs, select, ignore, config_file, unsafe_fixes, fail_on, exclude, fmt, output, stdin_filename,
          source_language, exit_zero, jobs, no_cache, quiet, statistics, show_diff, baseline_file,
          write_baseline_file, add_suppressions, show_unused_suppressions, text_column, id_column, findings_file):
    """Report what would change and what needs a human; write nothing.

    Exits 1 when anything at or above the fail-on level (default: flag) is found.
    With --text-column, each PATH is a dataset and each row a document (ROW_ID is the
    --id-column's value): findings read DATASET:ROW_ID:line:column.
    """
    from .project import exit_code, show_unused

    if show_diff:
        _refuse_diff_with(fmt, output)
    if add_suppressions and "-" in paths:
        raise click.UsageError("--add-suppressions writes files; it cannot write into stdin")
    cli = _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude, source_language)
    if text_column is not None:
        if show_diff or baseline_file or write_baseline_file or add_suppressions or show_unused_suppressions:
            raise click.UsageError("--diff, baselines and suppressions are for files, not datasets (--text-column)")
        _datasets("check", paths, cli, config_file, text_column, id_column, None, findings_file, False, fmt,
                  jobs, quiet, statistics)

    def run():
        return _run(paths, cli, config_file, stdin_filename, workers=jobs, no_cache=no_cache)

    stream = run()
    if add_suppressions:
        from .project import add_suppressions as add

        with stream:
            done = list(stream)
        n, skipped, plain = add(done)
        click.echo(f"added suppressions to {n} file{'s' * (n != 1)}")
        if write_baseline_file:  # the rest (plain text, what no directive can cover) goes in the baseline
            stream = run()
        elif plain:
            click.echo(f"{plain} plain-text file{'s' * (plain != 1)} left as they are: a directive would be a "
                       "visible line of the article; record their findings with --write-baseline FILE instead")
        if skipped and not write_baseline_file:
            click.echo(f"{skipped} finding{'s' * (skipped != 1)} could not be suppressed inline "
                       "(front matter, inside a tag, or still reported after the directives): record them with --write-baseline")
        if not write_baseline_file:
            _report_errors(done)
            sys.exit(EXIT_ERROR if any(d.result.error for d in done) else EXIT_CLEAN)
    if write_baseline_file:
        from .baseline import write_baseline

        with stream:
            done = list(stream)
        try:
            n = write_baseline(write_baseline_file, [d.result for d in done])
        except OSError as exc:
            raise click.ClickException(f"{write_baseline_file}: could not write: {exc.strerror or exc}") from None
        click.echo(f"{write_baseline_file}: recorded {n} finding{'s' * (n != 1)}")
        _report_errors(done)
        sys.exit(EXIT_ERROR if any(d.result.error for d in done) else EXIT_CLEAN)
    baseline = _baseline(baseline_file) if baseline_file else None
    out = sys.stdout
    # with --diff, only what a diff cannot show follows each file's diff, unless the
    # report goes to a file (-o)
    diff_only = show_diff and output is None
    report = None if diff_only else stream.report(fmt, "check", out, output=output,
                                                  statistics=statistics, quiet=quiet)
    code = EXIT_CLEAN
    with stream:
        for d in stream:
            if baseline is not None and not d.result.error:
                baseline.filter(d.result, only_unapplied=False)
            if show_unused_suppressions:
                show_unused([d])
            code = max(code, exit_code([d], after_fix=False, unused=show_unused_suppressions))
            if show_diff:
                stream.write(out, _diff(d.result, out))
            if report is None:
                _report_remaining([d], out, stream.write)
            else:
                report.add(d.result)
    if report is not None:
        _close(report, output)
    _exit(code, exit_zero)


def _close(report, output) -> None:
    """Finish the report; one that cannot be written to ``-o FILE`` leaves the old file as it was."""
    try:
        report.close()
    except OSError as exc:
        raise click.ClickException(f"{output}: could not write the report: {exc.strerror or exc}") from None


def _diff(result, stream) -> str:
    """A word-level coloured view on a terminal, a unified diff anywhere else."""
    from .formatters import unified_diff
    from .termdiff import wants_color, word_diff

    return word_diff(result, color=True) if wants_color(stream) else unified_diff(result)


def _report_remaining(done, out, write=None) -> None:
    """After a diff: what the diff cannot show (flags, unapplied suggestions, errors)."""
    from .formatters import change_line

    write = write or (lambda stream, text: stream.write(text))
    for d in done:
        r = d.result
        if r.error:
            write(sys.stderr, f"{display_path(r.path)}: error: {r.error}\n")
        write(out, "".join(change_line(r.path, c, mode="check") + "\n" for c in r.remaining))


def _baseline(path):
    from .baseline import Baseline, BaselineError

    try:
        return Baseline(path)
    except BaselineError as exc:
        raise click.ClickException(str(exc)) from None


def _report_errors(done) -> None:
    for d in done:
        if d.result.error:
            click.echo(f"{display_path(d.result.path)}: error: {d.result.error}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@run_options
@batch_options
@click.option("--diff", "show_diff", is_flag=True, help="Also print a unified diff of the changes made.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Do not report the unfixed findings recorded in this baseline file.")
@click.option("--fix-only", is_flag=True, help="Apply the fixes; report only what was fixed and exit 0 even when findings remain.")
@click.option("--no-follow-symlinks", "no_follow", is_flag=True, help="Refuse to rewrite a file named through a symbolic link (by default its target is rewritten).")
@click.option("--write-read-only", is_flag=True, help="Also rewrite read-only files (by default they are refused).")
@dataset_options
@click.option("--in-place", is_flag=True, help="Dataset: replace the input with the cleaned dataset (atomically).")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dataset: clean on the Dask cluster at ADDRESS ('local': a local cluster of --jobs processes); -o is then a folder of partitions. Needs cleaner[dask].")
def fix(paths, rule_dirs, select, ignore, config_file, unsafe_fixes, fail_on, exclude, fmt, output, stdin_filename,
        source_language, exit_zero, jobs, no_cache, quiet, statistics, show_diff, baseline_file, fix_only,
        no_follow, write_read_only, text_column, id_column, findings_file, in_place, scheduler):
    """Rewrite files in place with the safe fixes; `-` reads stdin and writes stdout.

    Each file is written as soon as it is cleaned, and only if it still holds what was
    read, so an interrupted run keeps the files it finished. Files with nothing to fix are
    not rewritten. Exits 1 when findings at or above the fail-on level remain (flags,
    unapplied suggestions); on SIGINT or SIGTERM, reports the files written so far and
    exits 130 or 143 (every other file is left as it was).

    With --text-column, each PATH is a dataset: the cleaned rows go to a new dataset
    (-o OUTPUT, which for files names the report, or --in-place), the findings to a
    JSON-lines file.
    """
    from . import api
    from .files import Interrupted, WriteRefused, interruptible, signals_deferred
    from .formatters import unified_diff
    from .project import exit_code

    cli = _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude, source_language)
    if scheduler is not None:
        _on_cluster(paths, cli, config_file, text_column, id_column, output, scheduler, jobs)
    if text_column is not None:
        if show_diff or baseline_file:
            raise click.UsageError("--diff and --baseline are for files, not datasets (--text-column)")
        _datasets("fix", paths, cli, config_file, text_column, id_column, output, findings_file, in_place, fmt,
                  jobs, quiet, statistics)
    if in_place:
        raise click.UsageError("--in-place is for datasets: give --text-column")
    if show_diff:
        _refuse_diff_with(fmt, output)
    stream = _run(paths, cli, config_file, stdin_filename, workers=jobs, no_cache=no_cache)
    stdin_mode = list(paths) == ["-"]
    report_stream = sys.stderr if stdin_mode else sys.stdout
    baseline = _baseline(baseline_file) if baseline_file else None
    report = stream.report(fmt, "fix", report_stream, output=output, statistics=statistics, quiet=quiet)
    code = EXIT_CLEAN
    interrupted = None
    try:
        with interruptible(then_ignore=True) as check, stream:  # a signal while reporting: the report still comes
            for d in stream:
                with signals_deferred():  # the write and its report, both or neither
                    if stdin_mode:
                        _write_stdout(api.output_bytes(d.outcome))
                    elif d.result.path != "-":
                        try:
                            api.write_back(d.outcome, follow_symlinks=not no_follow, write_read_only=write_read_only)
                        except (OSError, WriteRefused) as exc:
                            d.result.error = f"could not write: {getattr(exc, 'strerror', None) or exc}"
                    if baseline is not None and not d.result.error:
                        baseline.filter(d.result, only_unapplied=True)
                    if show_diff:
                        stream.write(report_stream, unified_diff(d.result))
                    if fix_only:  # as ruff's --fix-only: what was fixed, nothing about what remains
                        d.result.changes = d.result.applied
                    report.add(d.result)
                code = max(code, exit_code([d], after_fix=True))
                check()  # an interrupt a __del__ swallowed stops here, this file done
    except Interrupted as exc:
        interrupted = exc
    _close(report, output)
    if interrupted is not None:
        sys.exit(interrupted.exit_code)
    _exit(code, exit_zero or (fix_only and code == EXIT_FINDINGS))


def _write_stdout(data: bytes) -> None:
    """The cleaned text of `fix -`; a failed write (a full disk) is an error, exit 2."""
    stream = sys.stdout.buffer
    try:
        stream.write(data)
        stream.flush()
    except OSError as exc:
        click.echo(f"-: could not write the cleaned text to stdout: {exc.strerror or exc}", err=True)
        sys.stdout = open(os.devnull, "w")  # nothing more can reach the broken stream
        sys.exit(EXIT_ERROR)


def _datasets(mode, paths, cli, config_file, text_column, id_column, output, findings_file, in_place,
              fmt, jobs, quiet, statistics):
    """Clean datasets row by row (see cleaner.datasets); exits as for files: 0, 1, or 2
    when a dataset or a row could not be cleaned (the others still are)."""
    from .config import ConfigError, settings_for
    from .datasets import DatasetError, clean_dataset, default_findings_path, open_dataset
    from .packs import PackError
    from .project import Done, RuleSets, exit_code
    from .reporting import Progress, Report

    if mode == "fix":
        if output and in_place:
            raise click.UsageError("give -o/--output or --in-place, not both")
        if not output and not in_place:
            raise click.UsageError("fix on a dataset writes a new one: give -o OUTPUT (or --in-place)")
        if output and len(paths) != 1:
            raise click.UsageError("-o/--output takes one dataset; use --in-place for several")
    if findings_file and len(paths) != 1:
        raise click.UsageError("--findings takes one dataset")
    rule_sets = RuleSets()
    code = EXIT_CLEAN
    for path in paths:
        try:
            settings = settings_for(path, cli, config_file)
            cleaner = rule_sets.cleaner_for(settings)
            total = open_dataset(path, text_column, id_column).total()
        except ConfigError as exc:
            raise click.ClickException(f"config error: {exc}") from None
        except PackError as exc:
            raise click.ClickException(f"rule pack error: {exc}") from None
        except DatasetError as exc:
            click.echo(f"error: {exc}", err=True)
            code = EXIT_ERROR
            continue
        target = output if output else path if mode == "fix" else None
        found = findings_file or (default_findings_path(output or path) if mode == "fix" else None)
        progress = Progress(total or 0, enabled=not quiet, unit="row")
        report = Report(fmt, mode, sys.stdout, statistics=statistics, quiet=quiet, write=progress.write)
        report.tally.unit = "row"

        def on_row(done):
            nonlocal code
            report.add(done.result)
            progress.update()
            d = Done(done.outcome or _Passed(done.result), settings)
            code = max(code, exit_code([d], after_fix=mode == "fix"))

        try:
            few = total is not None and total < 4  # not worth starting workers
            run = clean_dataset(path, cleaner, text_column=text_column, id_column=id_column, output=target,
                                findings=found, workers=1 if few else jobs, on_row=on_row,
                                in_place=bool(in_place))
        except DatasetError as exc:
            progress.close()
            click.echo(f"error: {exc}", err=True)
            code = EXIT_ERROR
            continue
        except OSError as exc:
            progress.close()
            click.echo(f"error: {path}: could not write: {exc.strerror or exc}", err=True)
            code = EXIT_ERROR
            continue
        except KeyboardInterrupt:
            progress.close()
            click.echo(f"cleaner: interrupted in {path}; its output is written whole or not at all, "
                       "so nothing was written for it", err=True)
            raise
        progress.close()
        report.close()
        if not quiet:
            wrote = f"; wrote {target} ({run.modified} rows changed) and {found}" if target else ""
            click.echo(f"{path}: {run.rows} rows, {run.findings} findings, {run.notices} without text, "
                       f"{run.errors} not cleaned{wrote}", err=True)
    sys.exit(code)


def _on_cluster(paths, cli, config_file, text_column, id_column, output, scheduler, jobs):
    """`fix --scheduler`: the dataset cleaned on a Dask cluster into the folder -o."""
    from .config import ConfigError, settings_for
    from .datasets import DatasetError
    from .project import RuleSets

    if text_column is None or not output or len(paths) != 1:
        raise click.UsageError("--scheduler cleans one dataset: give --text-column and -o FOLDER")
    from importlib.util import find_spec

    if find_spec("dask") is None or find_spec("distributed") is None:
        raise click.ClickException("--scheduler needs Dask: pip install 'cleaner[dask]'")
    from .dask import clean
    try:
        settings = settings_for(paths[0], cli, config_file)
        cleaner = RuleSets().cleaner_for(settings)
        run = clean(paths[0], output, text_column=text_column, id_column=id_column, cleaner=cleaner,
                    scheduler=None if scheduler == "local" else scheduler, n_workers=jobs or 2,
                    fail_on=settings.fail_on.value)
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None
    except (DatasetError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{paths[0]}: {run.rows} rows in {run.partitions} partitions, {run.modified} changed, "
               f"{run.findings} findings, {run.notices} without text, {run.errors} not cleaned; "
               f"wrote {output}/part-*, findings in {output}/_findings/")
    sys.exit(run.exit_code)


class _Passed:
    """A row that was not cleaned, as `project.exit_code` sees an outcome."""

    def __init__(self, result):
        self.result = result


@main.command("config")
@click.argument("path", default=".")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="Use this configuration file instead of discovering one.")
def config_cmd(path, config_file):
    """Print the settings in force for PATH and where each came from."""
    from .config import describe

    settings = _settings(path, None, config_file)
    click.echo(_with_config(lambda: describe(path, settings)), nl=False)


def config_option(f):
    return click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                        help="Use this configuration file instead of discovering one.")(f)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@rule_options
@config_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True, help="The HTML file to write.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable; adds to the configured ones).")
@click.option("--source-language", default=None, help="The language the articles were translated from, instead of inferring it.")
def report(paths, rule_dirs, select, ignore, config_file, output, exclude, source_language):
    """Write a self-contained HTML page to review every change, accept or reject it,
    and export the decisions for `cleaner apply`.

    Each file gets the settings of its configuration, as with `check`. Fixes start
    accepted; suggestions are shown as proposals, applied only if accepted; flags can be
    kept or replaced with the editor's own words. Exits 0 once the page is written, 2 when
    an input could not be read (it is listed in the page).
    """
    from .project import review_items
    from .review import build_report

    if "-" in paths:
        raise click.UsageError("report reads files, not stdin: `cleaner apply` needs them to write back to")
    cli = _cli_settings(rule_dirs, select, ignore, None, None, exclude, source_language)
    items = _with_config(lambda: review_items(paths, cli, config_file), paths)
    try:
        from .files import atomic_write

        # A file name that is not UTF-8 is written as its \udcff escape (valid in the page's JSON).
        atomic_write(output, build_report(items).encode("utf-8", "backslashreplace"))
    except OSError as exc:
        raise click.ClickException(f"{output}: could not write: {exc.strerror or exc}") from None
    changes = sum(1 for i in items for c in i.result.changes if c.applied)
    flags = sum(1 for i in items for c in i.result.changes if not c.applied)
    click.echo(f"{output}: {len(items)} file{'s' * (len(items) != 1)}, {changes} change{'s' * (changes != 1)}, {flags} flag{'s' * (flags != 1)}", err=True)
    errors = [i.result for i in items if i.result.error]
    for r in errors:
        click.echo(f"{display_path(r.path)}: error: {r.error}", err=True)
    sys.exit(EXIT_ERROR if errors else EXIT_CLEAN)


def _with_config(work, paths=()):
    """Run ``work`` turning configuration and pack errors into exit 2."""
    from .config import ConfigError
    from .packs import PackError

    try:
        return work()
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None
    except PackError as exc:
        raise click.ClickException(f"rule pack error: {exc}") from None


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--decisions", "decisions_file", required=True, type=click.Path(dir_okay=False), help="decisions.json exported from the review page.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Extra rule pack folder or file, as given to `report`.")
@click.option("--select", multiple=True, help="Rule selection, as given to `report`.")
@click.option("--ignore", multiple=True, help="Rules skipped, as given to `report`.")
@config_option
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--dry-run", is_flag=True, help="Check the decisions and say what would change; write nothing.")
def apply(paths, decisions_file, rule_dirs, select, ignore, config_file, exclude, dry_run):
    """Apply exactly the changes accepted in the review page to PATHS, and the words
    the editor put in place of flagged text.

    Each file gets the settings of its configuration, as with `report`. Refuses,
    writing nothing, when a file is not in the reviewed report or changed since the
    report was made. Exits 1 when an accepted change could not be applied (it depended
    on a rejected one, or the rules changed).
    """
    from . import decisions as dec
    from .project import apply_plan

    cli = _cli_settings(rule_dirs, select, ignore, None, None, exclude)
    try:
        decisions = dec.load(decisions_file)
        plan = _with_config(lambda: apply_plan(decisions, paths, cli, config_file))
        written = [] if dry_run else dec.write(plan)
    except dec.DecisionsError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"could not write: {exc.strerror or exc}") from None
    incomplete = False
    for a in plan:
        n = len(a.applied_ids)
        state = "would change" if dry_run and a.modified else "written" if a.path in written else "unchanged"
        words = f", {len(a.replaced)} flag{'s' * (len(a.replaced) != 1)} replaced" if a.replaced else ""
        click.echo(f"{a.path}: {n} accepted change{'s' * (n != 1)} applied{words}, {state}")
        for change_id in a.missing:
            incomplete = True
            click.echo(f"{a.path}: warning: accepted change {change_id} could not be applied "
                       "(it depended on a rejected change, or the rules differ from the report's)", err=True)
        for flag_id in a.conflicts:
            incomplete = True
            click.echo(f"{a.path}: warning: the replacement for flag {flag_id} was not written: it overlaps "
                       "an accepted change (reject that change in the review to use your words)", err=True)
    sys.exit(EXIT_FINDINGS if incomplete else EXIT_CLEAN)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@rule_options
@config_option
@click.option("--unsafe-fixes", is_flag=True, help="Score with `suggest`-level rewrites applied.")
@click.option("-v", "--verbose", is_flag=True, help="List every wrong, missed and unexplained change.")
def eval_(gold, rule_dirs, select, ignore, config_file, unsafe_fixes, verbose):
    """Score the rules against an annotated corpus (the format of seeds/gold.yaml).

    Each article gets the settings of its configuration, as with `check`. Exits 1 when
    there is any wrong rewrite or unexplained change, 2 when GOLD is not a gold file.
    """
    from .evaluate import GoldError, evaluate, format_evaluation, load_gold
    from .project import clean_files

    gold_path = Path(gold)
    try:
        names = sorted({e.file for e in load_gold(gold_path)})
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    cli = _cli_settings(rule_dirs, select, ignore, True if unsafe_fixes else None, None, ())
    paths = [str(gold_path.parent / name) for name in names]
    results = _with_config(lambda: clean_files(paths, cli, config_file))
    try:
        ev = evaluate(gold_path, dict(zip(names, results)))
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(format_evaluation(ev, verbose=verbose), nl=False)
    t = ev.total
    sys.exit(EXIT_FINDINGS if (t.wrong or t.unexplained) else EXIT_CLEAN)


@main.group()
def rules() -> None:
    """List, show and test the rules."""


def _configured_rules(rule_dirs, select, ignore, config_file):
    """The rules the project's configuration (discovered from the current folder, or
    ``--config``) selects, with the command line's options over it, as `check` would use."""
    from .project import RuleSets

    settings = _settings(".", _cli_settings(rule_dirs, select, ignore, None, None, ()), config_file)
    return _with_config(lambda: RuleSets().for_settings(settings)), settings


def _all_rules(rule_dirs, config_file):
    """Every rule, shipped and configured (`rules show`/`explain` must find an ignored rule too)."""
    from .packs import load_rules

    settings = _settings(".", _cli_settings(rule_dirs, (), (), None, None, ()), config_file)
    return _with_config(lambda: load_rules(settings.rules))


@rules.command("list")
@rule_options
@config_option
def rules_list(rule_dirs, select, ignore, config_file):
    """One line per rule in force: id, kind, level, category, message."""
    for r in _configured_rules(rule_dirs, select, ignore, config_file)[0]:
        click.echo(f"{r.id:42} {r.kind:12} {r.level.value:8} {r.category:22} {r.message}")


def _find_rule(rule_id, rule_dirs, config_file):
    found = [r for r in _all_rules(rule_dirs, config_file) if r.id == rule_id]
    if not found:
        raise click.UsageError(f"no rule {rule_id!r}; see `cleaner rules list`")
    return found[0]


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path())
@config_option
def rules_show(rule_id, rule_dirs, config_file):
    """Everything about one rule, its kind's options and examples included."""
    import yaml

    r = _find_rule(rule_id, rule_dirs, config_file)
    click.echo(f"{r.id}  ({r.file}:{r.line})\nkind: {r.kind}\ncategory: {r.category}\nlevel: {r.level.value}\nmessage: {r.message}")
    if r.description:
        click.echo(f"description: {r.description}")
    if r.options:
        click.echo(yaml.safe_dump(r.options, allow_unicode=True, sort_keys=False).rstrip())
    click.echo("examples:")
    for ex in r.examples:
        click.echo(f"  {ex.text!r}\n    -> {ex.result!r}" if ex.result is not None else f"  {ex.text!r}\n    flags {ex.flagged!r}")
    click.echo("keep:")
    for k in r.keep:
        click.echo(f"  {k.text!r}")


@rules.command("explain")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path())
@config_option
def rules_explain(rule_id, rule_dirs, config_file):
    """What a rule catches and why, its fix safety, its examples and keeps (as `ruff rule`)."""
    from .ruledoc import explain

    click.echo(explain(_find_rule(rule_id, rule_dirs, config_file)), nl=False)


@rules.command("test")
@click.argument("packs", nargs=-1, type=click.Path())
@config_option
def rules_test(packs, config_file):
    """Run every rule's examples and keeps (of the shipped and configured packs, or of PACKS)."""
    from .examples import check_rule
    from .packs import PackError, builtin_rules_dir, load_pack, pack_files

    failures = total = 0
    if not packs:
        packs = [builtin_rules_dir(), *_settings(".", None, config_file).rules]
    try:
        files = pack_files(packs)
    except PackError as exc:
        raise click.ClickException(str(exc)) from None
    for path in files:
        try:
            pack_rules = load_pack(path, validate=False)
        except PackError as exc:
            failures += 1
            click.echo(f"FAIL {exc}")
            continue
        for rule in pack_rules:
            total += 1
            problems = check_rule(rule)
            click.echo(f"{'ok' if not problems else 'FAIL':4} {rule.id} ({len(rule.examples)} examples, {len(rule.keep)} keeps)")
            for line, msg in problems:
                failures += 1
                click.echo(f"     {path}:{line}: {msg}")
    click.echo(f"{total} rules, {failures} problem{'s' * (failures != 1)}")
    sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)
