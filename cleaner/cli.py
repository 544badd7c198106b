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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean machine-translation artifacts out of English news articles."""


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
    f = click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)(f)
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


def _run(paths, cli: dict, config_file, on_done=None):
    """Plan and clean; a configuration or rule pack error exits 2 naming file, line and key."""
    from .config import ConfigError, settings_for
    from .packs import PackError
    from .project import RuleSets, plan, run

    try:
        jobs = plan(paths, cli, config_file)
        rule_sets = RuleSets()
        if not jobs:  # nothing to clean: still refuse broken packs and unknown selectors
            rule_sets.for_settings(settings_for(".", cli, config_file))
        stdin = click.get_binary_stream("stdin").read() if any(j.path == "-" for j in jobs) else None
        return run(jobs, rule_sets, stdin, on_done)
    except ConfigError as exc:
        raise click.ClickException(f"config error: {exc}") from None
    except PackError as exc:
        raise click.ClickException(f"rule pack error: {exc}") from None


def _report(done, fmt: str, mode: str, out) -> None:
    from . import formatters

    results = [d.result for d in done]
    if fmt == "json":
        out.write(formatters.json_report(results))
    elif fmt == "github":
        out.write(formatters.github_report(results))
    else:
        out.write(formatters.text_report(results, mode=mode))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@run_options
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of what `fix` would do.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Hide the findings recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False), help="Record every finding in this baseline file and exit 0.")
@click.option("--add-suppressions", is_flag=True, help="Write a `cleaner: disable=...` directive above every block with findings.")
@click.option("--show-unused-suppressions", is_flag=True, help="Report inline suppressions that suppress nothing (and fail on them).")
def check(paths, rule_dirs, select, ignore, config_file, unsafe_fixes, fail_on, exclude, fmt, show_diff,
          baseline_file, write_baseline_file, add_suppressions, show_unused_suppressions):
    """Report what would change and what needs a human; write nothing.

    Exits 1 when anything at or above the fail-on level (default: flag) is found.
    """
    from .project import exit_code, show_unused

    done = _run(paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude), config_file)
    if write_baseline_file:
        from .baseline import write_baseline

        try:
            n = write_baseline(write_baseline_file, [d.result for d in done])
        except OSError as exc:
            raise click.ClickException(f"{write_baseline_file}: could not write: {exc.strerror or exc}") from None
        click.echo(f"{write_baseline_file}: recorded {n} finding{'s' * (n != 1)}")
        _report_errors(done)
        sys.exit(EXIT_ERROR if any(d.result.error for d in done) else EXIT_CLEAN)
    if add_suppressions:
        from .project import add_suppressions as add

        n, skipped = add(done)
        click.echo(f"added suppressions to {n} file{'s' * (n != 1)}")
        if skipped:
            click.echo(f"{skipped} finding{'s' * (skipped != 1)} could not be suppressed inline "
                       "(front matter, or inside a tag): record them with --write-baseline")
        _report_errors(done)
        sys.exit(EXIT_ERROR if any(d.result.error for d in done) else EXIT_CLEAN)
    if baseline_file:
        _apply_baseline(baseline_file, done, only_unapplied=False)
    if show_unused_suppressions:
        show_unused(done)
    out = sys.stdout
    if show_diff:
        for d in done:
            out.write(_diff(d.result, out))
        if fmt != "text":
            _report(done, fmt, "check", sys.stderr)
        else:
            _report_remaining(done, out)
    else:
        _report(done, fmt, "check", out)
    sys.exit(exit_code(done, after_fix=False, unused=show_unused_suppressions))


def _diff(result, stream) -> str:
    """A word-level coloured view on a terminal, a unified diff anywhere else."""
    from .formatters import unified_diff
    from .termdiff import wants_color, word_diff

    return word_diff(result, color=True) if wants_color(stream) else unified_diff(result)


def _report_remaining(done, out) -> None:
    """After a diff: what the diff cannot show (flags, unapplied suggestions, errors)."""
    from .formatters import change_line

    for d in done:
        r = d.result
        if r.error:
            click.echo(f"{display_path(r.path)}: error: {r.error}", err=True)
        for c in r.remaining:
            out.write(change_line(r.path, c, mode="check") + "\n")


def _apply_baseline(path, done, *, only_unapplied: bool) -> None:
    from .baseline import Baseline, BaselineError

    try:
        baseline = Baseline(path)
    except BaselineError as exc:
        raise click.ClickException(str(exc)) from None
    for d in done:
        if not d.result.error:
            baseline.filter(d.result, only_unapplied=only_unapplied)


def _report_errors(done) -> None:
    for d in done:
        if d.result.error:
            click.echo(f"{display_path(d.result.path)}: error: {d.result.error}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@run_options
@click.option("--diff", "show_diff", is_flag=True, help="Also print a unified diff of the changes made.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Do not report the unfixed findings recorded in this baseline file.")
@click.option("--no-follow-symlinks", "no_follow", is_flag=True, help="Refuse to rewrite a file named through a symbolic link (by default its target is rewritten).")
@click.option("--write-read-only", is_flag=True, help="Also rewrite read-only files (by default they are refused).")
def fix(paths, rule_dirs, select, ignore, config_file, unsafe_fixes, fail_on, exclude, fmt, show_diff, baseline_file,
        no_follow, write_read_only):
    """Rewrite files in place with the safe fixes; `-` reads stdin and writes stdout.

    Each file is written as soon as it is cleaned, and only if it still holds what was
    read. Files with nothing to fix are not rewritten. Exits 1 when findings at or above
    the fail-on level remain (flags, unapplied suggestions); on SIGINT or SIGTERM, reports
    the files written so far and exits 130 or 143 (every other file is left as it was).
    """
    from . import api
    from .files import Interrupted, WriteRefused, interruptible, signals_deferred
    from .formatters import unified_diff
    from .project import exit_code

    stdin_mode = list(paths) == ["-"]
    report_stream = sys.stderr if stdin_mode else sys.stdout
    finished = []  # every file cleaned and, if it changed, written: what the report covers

    def write(d) -> None:
        with signals_deferred():  # the write and its record, both or neither
            if not stdin_mode and d.result.path != "-":
                try:
                    api.write_back(d.outcome, follow_symlinks=not no_follow, write_read_only=write_read_only)
                except (OSError, WriteRefused) as exc:
                    d.result.error = f"could not write: {getattr(exc, 'strerror', None) or exc}"
            finished.append(d)

    interrupted = None
    try:
        with interruptible(then_ignore=True):  # a signal while reporting: the report still comes
            _run(paths, _cli_settings(rule_dirs, select, ignore, unsafe_fixes, fail_on, exclude), config_file, write)
    except Interrupted as exc:
        interrupted = exc
    done = finished
    if stdin_mode and interrupted is None:
        _write_stdout(api.output_bytes(done[0].outcome) if done else b"")
    if baseline_file:
        _apply_baseline(baseline_file, done, only_unapplied=True)
    if show_diff:
        for d in done:
            report_stream.write(unified_diff(d.result))
    _report(done, fmt, "fix", report_stream)
    if interrupted is not None:
        n = len(done)
        click.echo(f"interrupted: {n} file{'s' * (n != 1)} cleaned (and written where changed) before it; "
                   "every other file left as it was", err=True)
        sys.exit(interrupted.exit_code)
    sys.exit(exit_code(done, after_fix=True))


def _write_stdout(data: bytes) -> None:
    """The cleaned text of `fix -`; a failed write (a full disk) is an error, exit 2."""
    stream = click.get_binary_stream("stdout")
    try:
        stream.write(data)
        stream.flush()
    except OSError as exc:
        click.echo(f"-: could not write the cleaned text to stdout: {exc.strerror or exc}", err=True)
        sys.stdout = open(os.devnull, "w")  # nothing more can reach the broken stream
        sys.exit(EXIT_ERROR)


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
    from .files import atomic_write
    from .review import build_report, review_inputs

    if "-" in paths:
        raise click.UsageError("report reads files, not stdin: `cleaner apply` needs them to write back to")
    rules = _load(rule_dirs, select, ignore)
    items = review_inputs(paths, rules, Options(unsafe_fixes=True), exclude)
    try:
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
