#!/usr/bin/env python3
"""Checks that the test reports (the Surefire and Failsafe XML that CI dashboards read) name every
test case so that a failure says which case it was: within a test class no two cases share a name,
and no data-driven case is known only by its position ("[17]", "method(Row)[17]") or by an object's
default toString ("Row@1b6d3586"). Run after `mvn verify`; prints what it found, exits 1 on a
problem. Usage: build/check-test-names.py [project root]"""
import collections
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
reports = sorted(glob.glob(os.path.join(root, "*", "target", "*-reports", "TEST-*.xml")))
if not reports:
    print("check-test-names: no test reports under */target/*-reports: run mvn verify first")
    sys.exit(1)

INDEX_ONLY = re.compile(r"^(\[\d+\]\s*)+$")                    # "[17]"
METHOD_INDEX = re.compile(r"^[\w$]+\([^)]*\)\s*\[\d+\]$")       # "verifies(Row)[17]"
INDEX_THEN_EMPTY = re.compile(r"^\[\d+\]\s*(,\s*)*$")
DEFAULT_TO_STRING = re.compile(r"\b[\w$.]+@[0-9a-f]{5,}\b")     # Object.toString()

problems = []
cases = 0
for report in reports:
    suite = ET.parse(report).getroot()
    seen = collections.Counter()
    for case in suite.iter("testcase"):
        cases += 1
        name = case.get("name", "")
        owner = case.get("classname", "")
        seen[(owner, name)] += 1
        where = "%s: %s > %s" % (os.path.relpath(report, root), owner, name)
        if not name.strip() or INDEX_ONLY.match(name) or INDEX_THEN_EMPTY.match(name):
            problems.append("known only by its position: " + where)
        elif METHOD_INDEX.match(name):
            problems.append("named by method and position, not by case: " + where)
        elif DEFAULT_TO_STRING.search(name):
            problems.append("named by a default toString: " + where)
    for (owner, name), n in seen.items():
        if n > 1:
            problems.append("%d cases share one name in %s: %s > %s"
                            % (n, os.path.relpath(report, root), owner, name))

for p in problems:
    print("check-test-names: " + p)
if problems:
    print("check-test-names: %d problem(s) in %d cases of %d reports" % (len(problems), cases, len(reports)))
    sys.exit(1)
print("check-test-names: OK: %d cases in %d reports, each with its own name" % (cases, len(reports)))
