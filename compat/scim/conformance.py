"""Runs scim2-tester (through scim2-cli) and scim-sanity against a SCIM server, prints their reports
and one summary line each, and exits 0 only when both are clean. Called by `compat/scim/run`, which
makes the virtualenv; see there for the usage and CHECKS.md for what the tools check.

    python conformance.py VENV_BIN BASE_URL API_KEY

SCIM_COMPAT_VERBOSE=1 runs `scim2 ... test --verbose`, which also prints the data of each result
(the server's response bodies, long): useful to see why a check failed.

Exit status: 0 when both tools are clean, 1 otherwise.
"""

import json
import os
import re
import subprocess
import sys

# scim2-cli prints one line per result: the status name, a space and the name of the check function,
# then the reason indented by two spaces (a reason may span lines, and those are not indented).
TESTER_LINE = re.compile(
    r"^(SUCCESS|COMPLIANT|ACCEPTABLE|DEVIATION|ERROR|CRITICAL|SKIPPED) ([A-Za-z_][A-Za-z0-9_]*)$"
)

# Generous: scim2-tester sends a few hundred requests, scim-sanity a few dozen.
TOOL_TIMEOUT_SECONDS = 480


def banner(text):
    print(f"\n===== {text} =====", flush=True)


def run(argv, env):
    """Run a tool; return its exit status and what it printed (stdout, then stderr)."""
    try:
        done = subprocess.run(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            timeout=TOOL_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        out = out.decode(errors="replace") if isinstance(out, bytes) else out
        return None, out, f"timed out after {TOOL_TIMEOUT_SECONDS}s"
    return done.returncode, done.stdout, done.stderr


def scim2_tester(venv_bin, base_url, api_key):
    """Run `scim2 --url BASE_URL test`; return (clean, summary line)."""
    env = dict(os.environ)
    # scim2-cli takes request headers from -h or from this variable ("Name: value", ';' between
    # headers); the variable keeps the key off the command line.
    env["SCIM_CLI_HEADERS"] = f"Authorization: Bearer {api_key}"
    argv = [os.path.join(venv_bin, "scim2"), "--url", base_url, "test"]
    if os.environ.get("SCIM_COMPAT_VERBOSE") == "1":
        argv.append("--verbose")  # also prints the data of each result: the server's responses
    banner(f"scim2-tester: scim2 --url {base_url} test")
    status, out, err = run(argv, env)
    sys.stdout.write(out)
    if err:
        sys.stdout.write(err if err.endswith("\n") else err + "\n")
    print(f"(scim2 exit status: {status})")

    counts = {}
    for line in out.splitlines():
        match = TESTER_LINE.match(line)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    success = counts.pop("SUCCESS", 0)
    skipped = counts.pop("SKIPPED", 0)
    error = counts.pop("ERROR", 0)
    others = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))

    summary = f"scim2-tester: {success} SUCCESS, {error} ERROR, {skipped} SKIPPED"
    if others:
        summary += f", {others}"
    clean = status == 0 and success > 0 and error == 0 and skipped == 0 and not others
    if success == 0 and not error and not skipped and not others:
        summary += " (no check ran: see the output above)"
    return clean, summary


def scim_sanity(venv_bin, base_url, api_key):
    """Run `scim-sanity probe`; return (clean, summary lines)."""
    # scim-sanity takes the token only as an option.
    argv = [
        os.path.join(venv_bin, "scim-sanity"),
        "probe",
        base_url,
        "--token",
        api_key,
        "--i-accept-side-effects",
        "--json-output",
    ]
    banner(f"scim-sanity: scim-sanity probe {base_url} --token *** --i-accept-side-effects")
    status, out, err = run(argv, dict(os.environ))
    try:
        report = json.loads(out)
        summary = report["summary"]
    except (ValueError, KeyError, TypeError):
        sys.stdout.write(out)
        if err:
            sys.stdout.write(err if err.endswith("\n") else err + "\n")
        print(f"(scim-sanity exit status: {status}; it printed no JSON report)")
        return False, ["scim-sanity: 0 passed, 1 failed (no report: see the output above)"]

    render(report, out)
    if err:
        sys.stdout.write(err if err.endswith("\n") else err + "\n")
    print(f"(scim-sanity exit status: {status})")

    passed, failed, errors = summary["passed"], summary["failed"], summary["errors"]
    warnings, skipped = summary["warnings"], summary["skipped"]
    # ERROR results (a request that raised) are failures too.
    lines = []
    if errors or warnings:
        lines.append(
            f"scim-sanity: {errors} errors (counted as failed), "
            f"{warnings} warnings (a WARN does not fail the run)"
        )
    lines.append(f"scim-sanity: {passed} passed, {failed + errors} failed, {skipped} skipped")
    clean = status == 0 and passed > 0 and failed == 0 and errors == 0
    return clean, lines


def render(report, raw):
    """Print the probe's report as scim-sanity prints it on a terminal, from its JSON report."""
    try:
        from scim_sanity.probe.report import ProbeResult, print_results

        results = [
            ProbeResult(
                r["name"],
                r["status"],
                message=r.get("message", ""),
                details=r.get("details", ""),
                phase=r.get("phase", ""),
            )
            for r in report["results"]
        ]
        print_results(
            results,
            mode=report.get("mode", ""),
            version=report.get("scim_sanity_version", ""),
            timestamp=report.get("timestamp", ""),
        )
    except Exception:  # the JSON is the report all the same
        sys.stdout.write(raw)


def main():
    if len(sys.argv) != 4:
        print("usage: conformance.py VENV_BIN BASE_URL API_KEY", file=sys.stderr)
        return 2
    venv_bin, base_url, api_key = sys.argv[1:]
    base_url = base_url.rstrip("/")

    tester_clean, tester_summary = scim2_tester(venv_bin, base_url, api_key)
    sanity_clean, sanity_summary = scim_sanity(venv_bin, base_url, api_key)

    banner("summary")
    print(tester_summary)
    for line in sanity_summary:
        print(line)
    return 0 if tester_clean and sanity_clean else 1


if __name__ == "__main__":
    sys.exit(main())
