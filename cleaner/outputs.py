"""Reports that other tools read, and writing any report where it was asked for.

- ``sarif``: SARIF 2.1.0, for code-scanning dashboards; each finding is a result with its
  region, its rewrite as a SARIF ``fix``, and its rule (with a link to its documentation)
  under ``tool.driver.rules``; an unreadable file is a tool execution notification.
- ``junit``: JUnit XML, for CI test reports: one test suite per file, one failing test
  case per finding (a file with none has one passing case); an unreadable file is an error.
- ``jsonl``: JSON Lines, one finding per line with its file's path (an unreadable file is
  a line with ``error``), for streaming into jq, grep or a database.

``-o FILE`` writes any format to a file atomically (a reader never sees half a report).
"""
from __future__ import annotations

import os
import sys
from typing import Iterable

from .model import Change, FileResult

FORMATS = ("text", "json", "jsonl", "github", "sarif", "junit")
MACHINE_FORMATS = frozenset(FORMATS) - {"text"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(results: list[FileResult], fmt: str, *, mode: str = "check") -> str:
    """The report of ``results`` in ``fmt`` (one of `FORMATS`)."""
    from . import formatters

    if fmt == "json":
        return formatters.json_report(results)
    if fmt == "github":
        return formatters.github_report(results)
    if fmt == "jsonl":
        return jsonl_report(results)
    if fmt == "sarif":
        return sarif_report(results)
    if fmt == "junit":
        return junit_report(results)
    return formatters.text_report(results, mode=mode)


def emit(text: str, output: str | None, stream=None) -> None:
    """Write a report to ``output`` (atomically) or to ``stream`` (stdout)."""
    if output is None or output == "-":
        (stream or sys.stdout).write(text)
        return
    from .files import atomic_write

    atomic_write(output, text.encode("utf-8"))


def jsonl_report(results: Iterable[FileResult]) -> str:
    from .formatters import Positions, finding_record

    lines = []
    for r in results:
        if r.error:
            lines.append({"path": r.path, "error": r.error})
            continue
        positions = Positions(r.original)
        for c in r.changes:
            lines.append({"path": r.path, **finding_record(c, positions)})
    from .formatters import dumps_json

    return "".join(dumps_json(line) + "\n" for line in lines)


def _uri(path: str) -> str:
    """A relative path as a URI reference (SARIF ``artifactLocation.uri``)."""
    from urllib.parse import quote

    if path == "-":
        return "stdin"
    rel = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return quote(rel.replace(os.sep, "/"))


def _sarif_level(c: Change) -> str:
    return "note" if c.finding.after is None else "warning"


def sarif_report(results: Iterable[FileResult]) -> str:
    from . import __version__
    from .formatters import Positions
    from .ruledoc import DOCS_URL, url

    rule_index: dict[str, int] = {}
    rules: list[dict] = []
    sarif_results: list[dict] = []
    notifications: list[dict] = []
    for r in results:
        uri = _uri(r.path)
        if r.error:
            notifications.append({
                "level": "error",
                "message": {"text": r.error},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            })
            continue
        positions = Positions(r.original)
        for c in r.changes:
            f = c.finding
            if f.rule not in rule_index:
                rule_index[f.rule] = len(rules)
                descriptor = {
                    "id": f.rule,
                    "shortDescription": {"text": f.message},
                    "defaultConfiguration": {"level": "note" if f.level.value == "flag" else "warning"},
                    "properties": {"category": f.category, "level": f.level.value},
                }
                if url(f.rule):
                    descriptor["helpUri"] = url(f.rule)
                rules.append(descriptor)
            end_line, end_col = positions.line_col(c.end)
            region = {
                "startLine": c.line, "startColumn": c.column, "endLine": end_line, "endColumn": end_col,
                "charOffset": c.start, "charLength": c.end - c.start,
            }
            if f.before:
                region["snippet"] = {"text": f.before}
            message = f.message + (f": “{f.before}” → “{f.after}”" if f.after is not None else f": “{f.before}”")
            result = {
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule],
                "level": _sarif_level(c),
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
                "partialFingerprints": {"cleanerChangeId/v1": c.id},
                "properties": {"level": f.level.value, "applied": c.applied, "category": f.category},
            }
            if f.after is not None:
                result["fixes"] = [{
                    "description": {"text": f.message},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri},
                        "replacements": [{
                            "deletedRegion": {"charOffset": c.start, "charLength": c.end - c.start},
                            "insertedContent": {"text": f.after},
                        }],
                    }],
                }]
            sarif_results.append(result)
    run = {
        "tool": {"driver": {
            "name": "cleaner", "version": __version__, "informationUri": DOCS_URL, "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",  # columns count characters, as in every cleaner report
        "results": sarif_results,
        "invocations": [{
            "executionSuccessful": not notifications,
            "toolExecutionNotifications": notifications,
        }],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    from .formatters import dumps_json

    return dumps_json(log, indent=2) + "\n"


def junit_report(results: Iterable[FileResult]) -> str:
    import xml.etree.ElementTree as ET

    from .formatters import change_line

    root = ET.Element("testsuites", name="cleaner")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=r.path)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if r.error:
            case = ET.SubElement(suite, "testcase", classname=r.path, name="read")
            ET.SubElement(case, "error", message=r.error)
            counts["tests"] += 1
            counts["errors"] += 1
        elif not r.changes:
            ET.SubElement(suite, "testcase", classname=r.path, name="no findings")
            counts["tests"] += 1
        for c in r.changes:
            f = c.finding
            case = ET.SubElement(suite, "testcase", classname=r.path, name=f"{f.rule} at {c.line}:{c.column}",
                                 file=r.path, line=str(c.line))
            failure = ET.SubElement(case, "failure", message=f.message, type=f.level.value)
            failure.text = change_line(r.path, c, mode="check")
            counts["tests"] += 1
            counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
