"""JUnit XML for Jenkins and other CI dashboards: one row per report.

``<testsuites>`` holds one ``<testsuite>`` per checked file. Each finding
is a ``<testcase name="org.gikcheck.GK301">`` with a ``<failure>`` (an
``<error>`` for GK001, a file that could not be read); a file without
findings gets one passing test case, so that every report shows up. A grouped finding
(one pattern, many places) is one test case; its places are listed in the failure text
and its ``count`` property gives their number.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .. import TYPE_CHECKING
from ._common import also_line, location, xml_text

if TYPE_CHECKING:
    from typing import IO, Any

CLEAN_CASE = "未发现问题"


def build(results: Sequence[Any]) -> ET.Element:
    root = ET.Element("testsuites", name="gikcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for res in results:
        path = xml_text(res.path)
        suite = ET.SubElement(root, "testsuite", name=path)
        tests = failures = errors = 0
        for d in res.diagnostics:
            loc = location(d)
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"org.gikcheck.{d.code}",
                classname=path,
                line=str(loc.line),
                column=str(loc.column),
            )
            props = ET.SubElement(case, "properties")
            ET.SubElement(props, "property", name="severity", value=str(d.severity))
            if d.name:
                ET.SubElement(props, "property", name="rule", value=d.name)
            if d.anchor:
                ET.SubElement(props, "property", name="anchor", value=xml_text(d.anchor))
            body = f"第 {loc.line} 行第 {loc.column} 列：{d.message}"
            if d.grouped:
                ET.SubElement(props, "property", name="count", value=str(d.occurrences))
                body += f"\n另见：{also_line(d, cap=len(d.related))}"
            if d.help:
                body += f"\n帮助：{d.help}"
            tag = "error" if d.code == "GK001" else "failure"
            el = ET.SubElement(case, tag, message=xml_text(d.message), type=d.code)
            el.text = xml_text(body)
            tests += 1
            if tag == "error":
                errors += 1
            else:
                failures += 1
        if not res.diagnostics:
            ET.SubElement(suite, "testcase", name=CLEAN_CASE, classname=path)
            tests += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("skipped", "0")
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += errors
    for k, v in totals.items():
        root.set(k, str(v))
    return root


def render(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    root = build(results)
    ET.indent(root, space="  ")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
