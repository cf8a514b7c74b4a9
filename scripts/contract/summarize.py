"""Counts what one Schemathesis run did, from its JSON and NDJSON reports.

    python summarize.py NAME REPORT_DIR

Prints one line,

    NAME: 24 of 24 operations passed, 41234 checks passed, 0 failed (3012 test cases, 180 stateful scenarios, ...)

An operation passes when it was tested, every check on its responses
passed (in the unit phases and in the stateful scenarios that called it) and
no error was reported for it. A check is one check function applied to one
response. Exits 1 when anything failed, errored or went untested.
"""

from __future__ import annotations

import collections
import glob
import json
import sys


def main(name: str, folder: str) -> int:
    [json_path] = glob.glob(f"{folder}/*.json")
    [ndjson_path] = glob.glob(f"{folder}/*.ndjson")
    with open(json_path, encoding="utf-8") as handle:
        report = json.load(handle)

    passed: collections.Counter[str] = collections.Counter()
    failed: collections.Counter[str] = collections.Counter()
    errored: set[str] = set()
    operations_seen: set[str] = set()
    scenarios = 0
    with open(ndjson_path, encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if "NonFatalError" in event:
                errored.add(event["NonFatalError"].get("label") or "?")
                continue
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            stateful = finished.get("phase") == "stateful"
            if stateful:
                scenarios += 1
            else:
                operations_seen.add(recorder.get("label") or "?")
            if finished.get("status") == "error":
                errored.add(recorder.get("label") or "?")
            cases = recorder.get("cases", {})
            for case_id, results in recorder.get("checks", {}).items():
                # A unit-phase scenario is one operation's (its probes with other
                # methods included); a stateful scenario's steps name their own.
                label = recorder.get("label") or "?"
                if stateful:
                    case = cases.get(case_id, {}).get("value", {})
                    if "method" in case:
                        label = f"{case['method']} {case['path']}"
                for result in results:
                    if result["status"] == "success":
                        passed[label] += 1
                    elif result["status"] == "failure":
                        failed[label] += 1

    operations = report["operations"]
    selected = operations["selected"]
    untested = selected - operations["tested"]
    bad_operations = set(failed) | errored
    good = min(selected, len({label for label in operations_seen if passed[label]} - bad_operations))
    test_cases = report["test_cases"]
    errors = len(report.get("errors", [])) + test_cases.get("errored", 0)
    unique = test_cases.get("unique_failures", 0)
    failed_checks = sum(failed.values())
    ok = report.get("exit_code") == 0 and not failed_checks and not unique and not errors and not untested
    if not ok:
        good = min(good, selected - 1)  # a failed run never reads as all passed
    details = [f"{test_cases.get('generated', 0)} test cases", f"{scenarios} stateful scenarios"]
    if unique:
        details.append(f"{unique} unique failures")
    if errors:
        details.append(f"{errors} errors")
    if untested:
        details.append(f"{untested} operations untested")
    print(f"{name}: {good} of {selected} operations passed, {sum(passed.values())} checks passed, "
          f"{failed_checks} failed ({', '.join(details)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
