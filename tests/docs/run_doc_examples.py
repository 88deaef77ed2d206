#!/usr/bin/env python3
"""Runs the `factoryhub` example commands of README.md and docs/*.md, so that they stay true.

Usage: FH_BIN=build/release/src/factoryhub tests/docs/run_doc_examples.py [-v] [FILE.md ...]
(-v prints every command run or skipped, with its exit code and time.)

What is an example
  Fenced code blocks tagged sh, bash, shell or console, and untagged blocks with a line that
  starts with `factoryhub ` (or `$ factoryhub `). In a console block the commands are the
  lines after a `$ ` prompt, the other lines are output; in the others every line is a
  command. A trailing backslash continues a command, and so does an open quote (curl -d '...).
  Indented (unfenced) blocks and blocks of other languages (json, yaml, csv, text) are not
  examples.

What runs
  Each command that invokes factoryhub: `factoryhub ...` anywhere in a pipeline, the build's
  `build/release/src/factoryhub ...`, or a script given the binary, `FH=build/release/src/
  factoryhub HUB=... examples/.../import`. Both spellings of the binary are replaced by
  $FH_BIN (and `factoryhub` on PATH is $FH_BIN). Other commands (curl, make, cmake) are not
  run, except what keeps the commands after them true:
    - `export NAME=VALUE` sets NAME for the file's later commands (no expansion);
    - `$ cat FILE` in a console block, followed by its output, creates FILE with that output
      when FILE does not exist (the doc shows the file the next commands read);
    - `cat > FILE <<'EOF' ... EOF` writes FILE.
  Optional parts in brackets, `[--json]`, `NAME[@VERSION]`, are left out (outside quotes).

  The commands of one Markdown file run in order, each as `bash -o pipefail -c CMD`, in a
  fresh temporary directory holding a copy of the repository's examples/ and a link to its
  data/ (the docs name them from the repository's root). Runs never reach a real hub:
  FH_HUB is not inherited, `/tmp/X` in a command becomes `<temporary directory>/tmp/X`, any
  other absolute path (but /dev/null) is refused as a failure, and the example scripts' FH
  and HUB default to $FH_BIN and a hub in the temporary directory.

  Each command must exit 0, except:
    - a console command written `CMD; echo "exit $?"` whose output shows `exit N`: CMD must
      exit N;
    - in a block after `<!-- example: fails -->` (or `<!-- example: fails N -->`), every
      factoryhub command must fail (exit N).

What does not run (counted as skipped)
    - the factoryhub commands of a block after `<!-- example: not run (REASON) -->`: a
      synopsis with placeholders, or commands that need what this test does not make
      (a trained model). The reason is required;
    - the subcommands in NOT_RUN below, and simulate without --until: servers and live
      sources that run until Ctrl-C, and training, which takes minutes on the docs' data sets.
  A marker must be followed (blank lines aside) by the block it marks.

Output: each failure as file:line, the command, its exit code and the tail of its stderr;
then `docs examples: N run, N skipped, N failed`. Exit 1 if any failed, 2 on bad usage.
"""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHELL_TAGS = {"sh", "bash", "shell", "console"}
COMMAND_TIMEOUT_S = 120

# Subcommands never run, and why. Keep this list short: prefer a marker on the block.
NOT_RUN = {
    "serve": "serves HTTP until Ctrl-C",
    "demo": "serves a live demo plant until Ctrl-C",
    "train": "cross-validates a model on a whole data set (minutes)",
}
# simulate runs until Ctrl-C unless it generates a window (--until) into a hub.
SIMULATE_REASON = "simulate without --until, or to a server or broker, runs until Ctrl-C"

MARKER_RE = re.compile(r"^\s*<!--\s*example:\s*(.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)\s*(.*)$")
EXPORT_RE = re.compile(r"^export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
HEREDOC_RE = re.compile(r"^cat\s*>\s*(\S+)\s*<<-?\s*(['\"]?)(\w+)\2\s*(#.*)?$")
CAT_RE = re.compile(r"^cat\s+([\w./-]+)\s*$")
ECHO_EXIT_RE = re.compile(r"""\s*;\s*echo\s+"exit \$\?"\s*$""")
SHOWN_EXIT_RE = re.compile(r"^exit (\d+)\s*$")
BUILD_BIN = "build/release/src/factoryhub"


@dataclass
class Step:
    """One thing to do, in file order."""

    kind: str  # "run", "skip", "export", "write", "error"
    line: int  # 1-based line of the doc
    text: str  # the command as the doc writes it
    expect: object = 0  # "run": an exit code, or "nonzero"
    reason: str = ""  # "skip", "error"
    content: str = ""  # "write"
    target: str = ""  # "write": the file; "export": NAME=VALUE


@dataclass
class Block:
    tag: str
    start: int  # line of the opening fence
    lines: list = field(default_factory=list)  # (line number, text)
    marker: str = ""
    marker_line: int = 0


def parse_blocks(path):
    """Fenced code blocks of a Markdown file, each with the marker written before it."""
    blocks, errors = [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    marker, marker_line = "", 0
    i = 0
    while i < len(lines):
        text = lines[i]
        m = MARKER_RE.match(text)
        if m:
            if marker:
                errors.append((marker_line, f"marker '{marker}' is not followed by a code block"))
            marker, marker_line = m.group(1), i + 1
            i += 1
            continue
        f = FENCE_RE.match(text)
        if f:
            indent, fence, tag = f.group(1), f.group(2), f.group(3).lower()
            block = Block(tag=tag, start=i + 1, marker=marker, marker_line=marker_line)
            marker = ""
            i += 1
            while i < len(lines):
                if lines[i].strip().startswith(fence[0] * len(fence)) and lines[i].strip().strip(fence[0]) == "":
                    break
                body = lines[i]
                if indent and body.startswith(indent):
                    body = body[len(indent):]
                block.lines.append((i + 1, body))
                i += 1
            blocks.append(block)
            i += 1
            continue
        if marker and text.strip():
            errors.append((marker_line, f"marker '{marker}' is not followed by a code block"))
            marker = ""
        i += 1
    if marker:
        errors.append((marker_line, f"marker '{marker}' is not followed by a code block"))
    return blocks, errors


def is_example(block):
    if block.tag in SHELL_TAGS:
        return True
    if block.tag:
        return False
    return any(re.match(r"^(\$ )?factoryhub ", t) for _, t in block.lines)


def quote_open(text):
    """True when text ends inside a quote (the command goes on on the next line)."""
    try:
        shlex.split(text, comments=True)
        return False
    except ValueError as e:
        return "quotation" in str(e)


def join_commands(block):
    """(line, command, output lines) of a block: continuations joined, heredoc bodies kept."""
    console = block.tag == "console"
    out = []
    lines = block.lines
    i = 0
    while i < len(lines):
        no, text = lines[i]
        if console:
            if not text.startswith("$ "):
                if out:
                    out[-1][2].append(text)
                i += 1
                continue
            text = text[2:]
        if not text.strip() or text.lstrip().startswith("#"):
            i += 1
            continue
        cmd = text
        i += 1
        while i < len(lines) and (cmd.endswith("\\") or quote_open(cmd)):
            nxt = lines[i][1]
            cmd = cmd[:-1] + " " + nxt.lstrip() if cmd.endswith("\\") else cmd + "\n" + nxt
            i += 1
        heredoc = HEREDOC_RE.match(cmd.strip())
        body = []
        if heredoc:
            while i < len(lines) and lines[i][1].strip() != heredoc.group(3):
                body.append(lines[i][1])
                i += 1
            i += 1
        out.append((no, cmd, body if heredoc else []))
    return out


def strip_optional(cmd):
    """The command without its unquoted [optional] parts."""
    res, depth, quote = [], 0, None
    for ch in cmd:
        if quote:
            if depth == 0:
                res.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            if depth == 0:
                res.append(ch)
        elif ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        elif depth == 0:
            res.append(ch)
    return "".join(res).strip()


def simple_commands(cmd):
    """The simple commands of a command line, each as a token list (rough, for classifying)."""
    lex = shlex.shlex(cmd, posix=True, punctuation_chars=";&|()<>")
    lex.whitespace_split = True
    lex.commenters = "#"
    try:
        tokens = list(lex)
    except ValueError:
        return []
    cmds, cur = [], []
    for t in tokens:
        if t and all(c in ";&|()" for c in t):
            if cur:
                cmds.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        cmds.append(cur)
    return cmds


PREFIX_COMMANDS = {"time", "env", "nice", "nohup", "exec", "xargs"}


def factoryhub_use(cmd):
    """The factoryhub argument lists of a command ([] for `FH=... script`), or None if none."""
    uses = None
    for words in simple_commands(cmd):
        j = 0
        assigns = []
        while j < len(words) and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[j]) or words[j] in PREFIX_COMMANDS):
            if "=" in words[j]:
                assigns.append(words[j].split("=", 1)[1])
            j += 1
        if j < len(words) and os.path.basename(words[j]) == "factoryhub":
            uses = (uses or []) + [words[j + 1:]]
        elif any(os.path.basename(a) == "factoryhub" for a in assigns):
            uses = (uses or []) + [[]]
    return uses


def not_run_reason(uses):
    for args in uses:
        positional = [a for a in args if not a.startswith("-")]
        sub = positional[0] if positional else ""
        if sub in NOT_RUN:
            return f"factoryhub {sub}: {NOT_RUN[sub]}"
        if sub == "simulate" and ("--until" not in args or any(a.startswith("--to") for a in args)):
            return SIMULATE_REASON
    return ""


def plan(path):
    """The steps of one Markdown file, in order."""
    steps = []
    blocks, errors = parse_blocks(path)
    for line, msg in errors:
        steps.append(Step("error", line, "", reason=msg))
    for block in blocks:
        if not is_example(block):
            if block.marker:
                steps.append(Step("error", block.marker_line, "",
                                  reason=f"marker '{block.marker}' before a block that is not a shell example"))
            continue
        expect_block, skip_block = 0, ""
        if block.marker:
            m = re.match(r"^not run\b\s*(.*)$", block.marker)
            f = re.match(r"^fails(?:\s+(\d+))?$", block.marker)
            if m and m.group(1).strip("() "):
                skip_block = m.group(1).strip("() ")
            elif f:
                expect_block = int(f.group(1)) if f.group(1) else "nonzero"
            else:
                steps.append(Step("error", block.marker_line, "",
                                  reason=f"marker '{block.marker}': expected 'not run (REASON)' or 'fails [N]'"))
                continue
        for no, cmd, extra in join_commands(block):
            line = cmd.strip()
            exp = EXPORT_RE.match(line)
            if exp and not skip_block:
                steps.append(Step("export", no, line, target=f"{exp.group(1)}={exp.group(2)}"))
                continue
            heredoc = HEREDOC_RE.match(line)
            if heredoc and not skip_block:
                steps.append(Step("write", no, line, target=heredoc.group(1),
                                  content="\n".join(extra) + "\n"))
                continue
            cat = CAT_RE.match(line)
            if cat and block.tag == "console" and extra and not skip_block:
                steps.append(Step("write", no, line, target=cat.group(1),
                                  content="\n".join(extra) + "\n", reason="if-missing"))
                continue
            uses = factoryhub_use(line)
            if uses is None:
                continue  # not a factoryhub command: not run
            if skip_block:
                steps.append(Step("skip", no, line, reason=skip_block))
                continue
            run = strip_optional(line)
            reason = not_run_reason(factoryhub_use(run) or [])
            if reason:
                steps.append(Step("skip", no, line, reason=reason))
                continue
            expect = expect_block
            if ECHO_EXIT_RE.search(run):
                shown = [SHOWN_EXIT_RE.match(o) for o in extra]
                shown = [s for s in shown if s]
                if not shown:
                    steps.append(Step("error", no, line,
                                      reason='`; echo "exit $?"` without an `exit N` line in the output'))
                    continue
                run = ECHO_EXIT_RE.sub("", run)
                expect = int(shown[-1].group(1))
            steps.append(Step("run", no, line, expect=expect, content=run))
    steps.sort(key=lambda s: s.line)
    return steps


def to_shell(run, tmp, fh_bin):
    """The command line bash runs: the binary replaced, /tmp moved, other absolute paths refused."""
    # /tmp moved first: the binary's own path may be under /tmp too (a checkout there).
    cmd = re.sub(r"(?<=[\s='\"<>])/tmp/", str(tmp) + "/tmp/", run)
    cmd = re.sub(r"(?<![\w./-])" + re.escape(BUILD_BIN) + r"(?![\w./-])", shlex.quote(fh_bin), cmd)
    # `factoryhub` where it is a command word: at the start, after an operator or assignments.
    cmd = re.sub(r"((?:^|[;&|(]|\$\()\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)factoryhub(?![\w./-])",
                 lambda m: m.group(1) + shlex.quote(fh_bin), cmd)
    for m in re.finditer(r"(?:^|(?<=[\s='\"<>]))(/[\w./-]+)", run):
        p = m.group(1)
        if p != "/dev/null" and not p.startswith("/tmp/"):
            return None, f"absolute path {p}: examples use relative paths or /tmp"
    return cmd, ""


def run_command(cmd, cwd, env):
    """(exit code or "timeout", stdout, stderr) of bash running cmd in its own process group."""
    p = subprocess.Popen(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, errors="replace", start_new_session=True)
    try:
        out, err = p.communicate(timeout=COMMAND_TIMEOUT_S)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # the group of this one command: bash and its children
        out, err = p.communicate()
        return "timeout", out, err + f"\n(no exit after {COMMAND_TIMEOUT_S} s: killed)"


def tail(text, n=12):
    lines = text.rstrip().splitlines()
    return "\n".join(("    " + l) for l in lines[-n:]) if lines else "    (empty)"


def run_file(path, fh_bin, verbose, counts):
    steps = plan(path)
    if not any(s.kind in ("run", "skip", "error") for s in steps):
        return []
    rel = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    failures = []
    with tempfile.TemporaryDirectory(prefix="fh-docs-") as tmp:
        tmp = Path(tmp).resolve()
        shutil.copytree(REPO / "examples", tmp / "examples", symlinks=True)
        (tmp / "data").symlink_to(REPO / "data")
        (tmp / "tmp").mkdir()
        # `factoryhub` on PATH is $FH_BIN, whatever else is installed.
        (tmp / ".bin").mkdir()
        (tmp / ".bin" / "factoryhub").symlink_to(fh_bin)
        # Nothing of the caller's hub reaches an example: FH_HUB and the example scripts'
        # variables (FH, HUB, DATA) are dropped; the scripts' FH and HUB default to the binary
        # and a hub in the temporary directory, not to their own /tmp defaults.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("FH_") and k not in ("FH", "HUB", "DATA")}
        env.update(PATH=f"{tmp / '.bin'}{os.pathsep}{env.get('PATH', '')}", TMPDIR=str(tmp / "tmp"),
                   FH=fh_bin, HUB=str(tmp / "tmp" / "hub"))
        for s in steps:
            where = f"{rel}:{s.line}"
            if s.kind == "error":
                counts["failed"] += 1
                failures.append(f"{where}: {s.reason}" + (f"\n  $ {s.text}" if s.text else ""))
            elif s.kind == "skip":
                counts["skipped"] += 1
                if verbose:
                    print(f"skip {where}: {s.text}\n     ({s.reason})")
            elif s.kind == "export":
                name, value = s.target.split("=", 1)
                try:
                    value = " ".join(shlex.split(value))
                except ValueError:
                    pass
                if value.startswith("/") and not value.startswith("/tmp/"):
                    counts["failed"] += 1
                    failures.append(f"{where}: absolute path {value}: examples use relative paths or /tmp\n  $ {s.text}")
                    continue
                env[name] = re.sub(r"^/tmp/", str(tmp) + "/tmp/", value)
            elif s.kind == "write":
                target = (tmp / s.target).resolve()
                if s.target.startswith("/") or not target.is_relative_to(tmp):
                    counts["failed"] += 1
                    failures.append(f"{where}: writes outside the example's directory: {s.target}\n  $ {s.text}")
                elif s.reason == "if-missing" and target.exists():
                    pass
                elif not target.parent.is_dir():
                    counts["failed"] += 1
                    failures.append(f"{where}: {s.target}: no directory {target.parent.relative_to(tmp)}\n  $ {s.text}")
                else:
                    target.write_text(s.content, encoding="utf-8")
            elif s.kind == "run":
                cmd, refused = to_shell(s.content, tmp, fh_bin)
                counts["run"] += 1
                if refused:
                    counts["failed"] += 1
                    failures.append(f"{where}: {refused}\n  $ {s.text}")
                    continue
                if verbose:
                    print(f"run  {where}: {s.text}")
                t0 = time.monotonic()
                code, out, err = run_command(cmd, tmp, env)
                dt = time.monotonic() - t0
                if verbose:
                    print(f"     exit {code} in {dt:.2f} s")
                ok = (code != 0 and code != "timeout") if s.expect == "nonzero" else code == s.expect
                if not ok:
                    counts["failed"] += 1
                    want = "non-zero" if s.expect == "nonzero" else s.expect
                    msg = f"{where}: exit {code} (expected {want})\n  $ {s.text}\n  stderr:\n{tail(err)}"
                    if not err.strip() and out.strip():
                        msg += f"\n  stdout:\n{tail(out)}"
                    failures.append(msg)
    return failures


def main(argv):
    verbose = "-v" in argv
    files = [a for a in argv if a != "-v"]
    if any(a.startswith("-") for a in files):
        print(__doc__, file=sys.stderr)
        return 2
    fh_bin = os.environ.get("FH_BIN", "")
    if not fh_bin or not os.access(fh_bin, os.X_OK):
        print(f"run_doc_examples: FH_BIN must name the factoryhub binary (got '{fh_bin}')", file=sys.stderr)
        return 2
    fh_bin = str(Path(fh_bin).resolve())
    paths = [Path(f).resolve() for f in files] or [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    counts = {"run": 0, "skipped": 0, "failed": 0}
    failures = []
    t0 = time.monotonic()
    for path in paths:
        failures += run_file(path, fh_bin, verbose, counts)
    for f in failures:
        print("FAIL " + f + "\n")
    print(f"docs examples: {counts['run']} run, {counts['skipped']} skipped, {counts['failed']} failed "
          f"({len(paths)} files, {time.monotonic() - t0:.1f} s)")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
