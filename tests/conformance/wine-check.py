#!/usr/bin/env python3
"""Run conformance cases under Wine's cmd and compare with their .expected files.

Usage: tests/conformance/wine-check.py [CASE.cmd ...]   (default: every case)

Each case runs as `wine cmd /c NAME.cmd` in a fresh temporary folder holding only a copy
of the case (converted to CRLF). Wine's stdout (CRLF -> LF) and exit code are compared
with the expectation; stderr is reported but not compared, because Wine's message texts
differ from cmd.exe's. The recorded `# wine:` line is printed next to the result, so a
case whose line says `agrees` but that now differs (or the reverse) stands out.
Cases marked `# wine: not run` are skipped. Needs `wine` (Debian package wine64).
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def parse_expected(path):
    """Return (wine_line, exit_code, stdout) from an .expected file."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("--- stdout\n", 1)
    stdout = rest.split("--- stderr\n", 1)[0]
    wine = next(l[len("# wine: "):] for l in head.splitlines() if l.startswith("# wine: "))
    code = int(next(l[len("exit "):] for l in head.splitlines() if l.startswith("exit ")))
    return wine, code, stdout


def run_in_wine(case):
    """Run one case under Wine; return (exit_code, stdout, stderr) with LF line ends."""
    folder = tempfile.mkdtemp(prefix="wine-case-")
    try:
        body = case.read_text(encoding="utf-8").replace("\n", "\r\n")
        (pathlib.Path(folder) / case.name).write_bytes(body.encode("utf-8"))
        env = dict(os.environ, WINEDEBUG="-all")
        done = subprocess.run(["wine", "cmd", "/c", case.name], cwd=folder, env=env,
                              capture_output=True, timeout=120)
        decode = lambda b: b.decode("utf-8", "replace").replace("\r\n", "\n")
        return done.returncode, decode(done.stdout), decode(done.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    cases = [pathlib.Path(a).resolve() for a in sys.argv[1:]] or sorted(HERE.glob("*/*.cmd"))
    tally = {"agrees": 0, "differs": 0, "not run": 0}
    for case in cases:
        wine, code, stdout = parse_expected(case.with_suffix(".expected"))
        name = f"{case.parent.name}/{case.name}"
        if wine.startswith("not run"):
            tally["not run"] += 1
            continue
        got_code, got_out, got_err = run_in_wine(case)
        agrees = got_code == code and got_out == stdout
        tally["agrees" if agrees else "differs"] += 1
        recorded = "agrees" if wine == "agrees" else "differs"
        flag = "" if recorded == ("agrees" if agrees else "differs") else "  <-- recorded line is stale"
        print(f"{'agrees ' if agrees else 'differs'} {name}{flag}")
        if not agrees:
            print(f"    want exit {code}, stdout {stdout!r}")
            print(f"    wine exit {got_code}, stdout {got_out!r}, stderr {got_err!r}")
    print(f"agrees {tally['agrees']}, differs {tally['differs']}, not run {tally['not run']}")


if __name__ == "__main__":
    main()
