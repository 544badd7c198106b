"""The `cleaner` command line: a thin shell over `cleaner.api`.

Exit codes: 0 nothing found (or everything found was fixed), 1 findings remain,
2 usage, configuration or input error.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def rule_options(f):
    f = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Extra rule pack folder or file (repeatable).")(f)
    f = click.option("--select", multiple=True, help="Only these rule ids, packs or categories (comma-separated).")(f)
    f = click.option("--ignore", multiple=True, help="Skip these rule ids, packs or categories (comma-separated).")(f)
    return f


def _load(rule_dirs, select, ignore):
    from .packs import PackError, load_rules, select_rules, unknown_selectors

    try:
        rules = load_rules(rule_dirs)
    except PackError as exc:
        raise click.ClickException(f"rule pack error: {exc}") from None
    names = _split(select) + _split(ignore)
    unknown = unknown_selectors(rules, names)
    if unknown:
        raise click.UsageError(f"--select/--ignore: no rule, pack or category named {', '.join(unknown)}")
    return select_rules(rules, _split(select), _split(ignore))


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


def run_options(f):
    """Options of the commands that clean files; each overrides the project's configuration."""
    f = rule_options(f)
    f = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="Use this configuration file instead of discovering one.")(f)
    f = click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply (check: count) `suggest`-level rewrites.")(f)
    f = click.option("--fail-on", type=click.Choice(["fix", "suggest", "flag"]), default=None, help="Lowest level that makes the run fail (default: flag).")(f)
    f = click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable; adds to the configured ones).")(f)
    f = click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)(f)
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


def _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude) -> dict:
    return {
        "rules": list(rule_dirs),
        "select": _split(select),
        "ignore": _split(ignore),
        "unsafe-fixes": unsafe_fixes,
        "fail-on": fail_on,
        "exclude": list(exclude),
    }


def _run(paths, cli: dict, config_file, jobs=None, no_cache=False, **_):
    jobs_ = jobs
    """Plan and clean, streaming (`project.Done` per file, in order); a configuration or
    rule pack error exits 2 naming file, line and key, before any file is cleaned."""
    from .config import ConfigError, settings_for
    from .packs import PackError
    from .project import RuleSets, plan, run

    try:
        jobs = plan(paths, cli, config_file)
        rule_sets = RuleSets()
        if not jobs:  # nothing to clean: still refuse broken packs and unknown selectors
            rule_sets.for_settings(settings_for(".", cli, config_file))
        stdin = click.get_binary_stream("stdin").read() if any(j.path == "-" for j in jobs) else None
        return _Stream(len(jobs), run(jobs, rule_sets, stdin, workers=jobs_, use_cache=not no_cache))
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None
    except PackError as exc:
        raise click.ClickException(f"rule pack error: {exc}") from None


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
            yield d
            self.count += 1
            self.progress.update()
        self.progress.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if self.progress is not None:
            self.progress.close()
        self.done.close()  # stops the workers at once
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            if self._report is not None:  # what was done, as a complete report (JSON stays valid)
                self._report.close()
            click.echo(f"cleaner: interrupted after {self.count} of {self.total} files "
                       "(each finished file is written)", err=True)

    quiet = False
    _report = None

    def report(self, fmt: str, mode: str, out, *, statistics=False, quiet=False):
        from .reporting import Report

        self.quiet = quiet
        self._report = Report(fmt, mode, out, statistics=statistics, quiet=quiet, write=self.write)
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
@click.option("--add-suppressions", is_flag=True, help="Write a `cleaner: disable=...` directive above every block with findings.")
@click.option("--show-unused-suppressions", is_flag=True, help="Report inline suppressions that suppress nothing (and fail on them).")
@dataset_options
def check(paths, rule_dirs, select, ignore, config_file, unsafe_fixes, fail_on, exclude, fmt, show_diff,
          baseline_file, write_baseline_file, add_suppressions, show_unused_suppressions,
          jobs, no_cache, quiet, statistics, text_column, id_column, findings_file):
    """Report what would change and what needs a human; write nothing.

    Exits 1 when anything at or above the fail-on level (default: flag) is found.
    With --text-column, each PATH is a dataset and each row a document (ROW_ID is the
    --id-column's value): findings read DATASET:ROW_ID:line:column.
    """
    from .project import exit_code, show_unused

    if text_column is not None:
        if show_diff or baseline_file or write_baseline_file or add_suppressions or show_unused_suppressions:
            raise click.UsageError("--diff, baselines and suppressions are for files, not datasets (--text-column)")
        _datasets("check", paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude),
                  config_file, text_column, id_column, None, findings_file, False, fmt, jobs, quiet, statistics)

    stream = _run(paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude), config_file,
                  jobs=jobs, no_cache=no_cache)
    if write_baseline_file:
        from .baseline import write_baseline

        with stream:
            done = list(stream)
        n = write_baseline(write_baseline_file, [d.result for d in done])
        click.echo(f"{write_baseline_file}: recorded {n} finding{'s' * (n != 1)}")
        _report_errors(done)
        sys.exit(EXIT_ERROR if any(d.result.error for d in done) else EXIT_CLEAN)
    if add_suppressions:
        from .project import add_suppressions as add

        with stream:
            done = list(stream)
        n, skipped = add(done)
        click.echo(f"added suppressions to {n} file{'s' * (n != 1)}")
        if skipped:
            click.echo(f"{skipped} finding{'s' * (skipped != 1)} could not be suppressed inline "
                       "(front matter, or inside a tag): record them with --write-baseline")
        _report_errors(done)
        sys.exit(EXIT_ERROR if any(d.result.error for d in done) else EXIT_CLEAN)
    baseline = _baseline(baseline_file) if baseline_file else None
    out = sys.stdout
    # with --diff, the report goes after each file's diff: to stderr unless it is text,
    # which then lists only what a diff cannot show
    report = stream.report(fmt, "check", sys.stderr if show_diff and fmt != "text" else out,
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
                if fmt == "text":
                    _report_remaining([d], out, stream.write)
                    continue
            report.add(d.result)
    if not (show_diff and fmt == "text"):
        report.close()
    sys.exit(code)


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
            write(sys.stderr, f"{r.path}: error: {r.error}\n")
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
            click.echo(f"{d.result.path}: error: {d.result.error}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@run_options
@batch_options
@click.option("--diff", "show_diff", is_flag=True, help="Also print a unified diff of the changes made.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Do not report the unfixed findings recorded in this baseline file.")
@dataset_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Dataset: write the cleaned dataset here (same format); the input is left as it is.")
@click.option("--in-place", is_flag=True, help="Dataset: replace the input with the cleaned dataset (atomically).")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dataset: clean on the Dask cluster at ADDRESS ('local': a local cluster of --jobs processes); -o is then a folder of partitions. Needs cleaner[dask].")
def fix(paths, rule_dirs, select, ignore, config_file, unsafe_fixes, fail_on, exclude, fmt, show_diff, baseline_file,
        jobs, no_cache, quiet, statistics, text_column, id_column, findings_file, output, in_place, scheduler):
    """Rewrite files in place with the safe fixes; `-` reads stdin and writes stdout.

    Each file is written as soon as it is cleaned, so an interrupted run keeps the files
    it finished. Files with nothing to fix are not rewritten. Exits 1 when findings at or
    above the fail-on level remain (flags, unapplied suggestions).

    With --text-column, each PATH is a dataset: the cleaned rows go to a new dataset
    (-o OUTPUT, or --in-place), the findings to a JSON-lines file.
    """
    from . import api
    from .formatters import unified_diff
    from .project import exit_code

    if scheduler is not None:
        _on_cluster(paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude), config_file,
                    text_column, id_column, output, scheduler, jobs)
    if text_column is not None:
        if show_diff or baseline_file:
            raise click.UsageError("--diff and --baseline are for files, not datasets (--text-column)")
        _datasets("fix", paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude),
                  config_file, text_column, id_column, output, findings_file, in_place, fmt, jobs, quiet, statistics)
    if output or in_place:
        raise click.UsageError("-o/--output and --in-place are for datasets: give --text-column")

    stream = _run(paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude), config_file,
                  jobs=jobs, no_cache=no_cache)
    stdin_mode = list(paths) == ["-"]
    report_stream = sys.stderr if stdin_mode else sys.stdout
    baseline = _baseline(baseline_file) if baseline_file else None
    report = stream.report(fmt, "fix", report_stream, statistics=statistics, quiet=quiet)
    code = EXIT_CLEAN
    with stream:
        for d in stream:
            if stdin_mode:
                click.get_binary_stream("stdout").write(api.output_bytes(d.outcome))
            else:
                try:
                    api.write_back(d.outcome)
                except OSError as exc:
                    d.result.error = f"could not write: {exc.strerror or exc}"
            if baseline is not None and not d.result.error:
                baseline.filter(d.result, only_unapplied=True)
            if show_diff:
                stream.write(report_stream, unified_diff(d.result))
            report.add(d.result)
            code = max(code, exit_code([d], after_fix=True))
    report.close()
    sys.exit(code)


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
    from .config import ConfigError, describe, settings_for

    try:
        settings = settings_for(path, None, config_file)
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None
    click.echo(describe(path, settings), nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@rule_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True, help="The HTML file to write.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
def report(paths, rule_dirs, select, ignore, output, exclude):
    """Write a self-contained HTML page to review every change, accept or reject it,
    and export the decisions for `cleaner apply`.

    Suggestions are shown as changes too (accepted by default, like fixes). Exits 0
    once the page is written, 2 when an input could not be read (it is listed in the page).
    """
    from .engine import Options
    from .review import build_report, review_inputs

    if "-" in paths:
        raise click.UsageError("report reads files, not stdin: `cleaner apply` needs them to write back to")
    rules = _load(rule_dirs, select, ignore)
    items = review_inputs(paths, rules, Options(unsafe_fixes=True), exclude)
    try:
        Path(output).write_text(build_report(items), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{output}: could not write: {exc.strerror or exc}") from None
    changes = sum(1 for i in items for c in i.result.changes if c.applied)
    flags = sum(1 for i in items for c in i.result.changes if not c.applied)
    click.echo(f"{output}: {len(items)} file{'s' * (len(items) != 1)}, {changes} change{'s' * (changes != 1)}, {flags} flag{'s' * (flags != 1)}", err=True)
    errors = [i.result for i in items if i.result.error]
    for r in errors:
        click.echo(f"{r.path}: error: {r.error}", err=True)
    sys.exit(EXIT_ERROR if errors else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--decisions", "decisions_file", required=True, type=click.Path(dir_okay=False), help="decisions.json exported from the review page.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Extra rule pack folder or file, as given to `report`.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--dry-run", is_flag=True, help="Check the decisions and say what would change; write nothing.")
def apply(paths, decisions_file, rule_dirs, exclude, dry_run):
    """Apply exactly the changes accepted in the review page to PATHS.

    Refuses, writing nothing, when a file is not in the reviewed report or changed
    since the report was made. Exits 1 when an accepted change could not be applied
    (it depended on a rejected one, or the rules changed).
    """
    from . import decisions as dec

    rules = _load(rule_dirs, (), ())
    try:
        plan = dec.plan(dec.load(decisions_file), paths, rules, exclude=exclude)
        written = [] if dry_run else dec.write(plan)
    except dec.DecisionsError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"could not write: {exc.strerror or exc}") from None
    incomplete = False
    for a in plan:
        n = len(a.applied_ids)
        state = "would change" if dry_run and a.result.modified else "written" if a.path in written else "unchanged"
        click.echo(f"{a.path}: {n} accepted change{'s' * (n != 1)} applied, {state}")
        for change_id in a.missing:
            incomplete = True
            click.echo(f"{a.path}: warning: accepted change {change_id} could not be applied "
                       "(it depended on a rejected change, or the rules differ from the report's)", err=True)
    sys.exit(EXIT_FINDINGS if incomplete else EXIT_CLEAN)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@rule_options
@click.option("--unsafe-fixes", is_flag=True, help="Score with `suggest`-level rewrites applied.")
@click.option("-v", "--verbose", is_flag=True, help="List every wrong, missed and unexplained change.")
def eval_(gold, rule_dirs, select, ignore, unsafe_fixes, verbose):
    """Score the rules against an annotated corpus (the format of seeds/gold.yaml).

    Exits 1 when there is any wrong rewrite or unexplained change.
    """
    from . import api
    from .engine import Options
    from .evaluate import evaluate, format_evaluation, load_gold

    rules = _load(rule_dirs, select, ignore)
    gold_path = Path(gold)
    names = sorted({e.file for e in load_gold(gold_path)})
    options = Options(unsafe_fixes=unsafe_fixes)
    results = {name: api.clean_path(str(gold_path.parent / name), rules, options).result for name in names}
    ev = evaluate(gold_path, results)
    click.echo(format_evaluation(ev, verbose=verbose), nl=False)
    t = ev.total
    sys.exit(EXIT_FINDINGS if (t.wrong or t.unexplained) else EXIT_CLEAN)


@main.group()
def rules() -> None:
    """List, show and test the rules."""


@rules.command("list")
@rule_options
def rules_list(rule_dirs, select, ignore):
    """One line per rule: id, kind, level, category, message."""
    for r in _load(rule_dirs, select, ignore):
        click.echo(f"{r.id:42} {r.kind:12} {r.level.value:8} {r.category:22} {r.message}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path())
def rules_show(rule_id, rule_dirs):
    """Everything about one rule, examples included."""
    import yaml

    found = [r for r in _load(rule_dirs, (), ()) if r.id == rule_id]
    if not found:
        raise click.UsageError(f"no rule {rule_id!r}; see `cleaner rules list`")
    r = found[0]
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


@rules.command("test")
@click.argument("packs", nargs=-1, type=click.Path())
def rules_test(packs):
    """Run every rule's examples and keeps (of the shipped packs, or of PACKS)."""
    from .examples import check_rule
    from .packs import PackError, builtin_rules_dir, load_pack, pack_files

    failures = total = 0
    try:
        files = pack_files(packs or [builtin_rules_dir()])
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
