#!/usr/bin/env python3
"""Checks a lesson's quoted output against real runs, or regenerates it.

    scripts/lessons.py check  SPINLAB LESSON.md...   exit 1 if a lesson drifted
    scripts/lessons.py update SPINLAB LESSON.md...   rewrite the quoted blocks, then check

A lesson's commands are the `spinlab ...` lines of its command blocks (a bare
fenced block whose every line is a command; a `$ ` before one is dropped) and
its inline `spinlab run|sweep|trace|disasm ...` code spans. Each `spinlab run`
runs twice, as written and with `--narrate` (lessons quote narratives "with
--narrate" and read cycles off them); each in a scratch directory where
`build` points at SPINLAB's directory, stdout and stderr merged.

Checked (docs/lessons/README.md, "How the lessons are checked"):
- every other bare fenced block is quoted output: its lines must be lines of
  one run's output, in order and adjacent, except that a line that is only
  `...` stands for any number of lines and `...` inside a line for any text;
- in the prose, every place (`trap.c:192`) and every cycle (`cycle 10 527`)
  must be printed by a run: the place anywhere, the cycle as a cycle ("cycle
  N", "N cycles", or a narrative line's first column); every "exit code N"
  must be the exit status of one of the lesson's runs. A number that is not
  from a run is named in a `<!-- lesson-check: not from a run: ... -->`
  comment, written as the prose writes it.
Fenced blocks with an info string (```c, ```text) are not checked.

`update` rewrites each quoted block's lines from the run that matches it when
numbers and runs of spaces are ignored, so a change of timing regenerates
them; a line whose words changed, and the prose, are for a person (`check`).
"""
import concurrent.futures
import difflib
import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r'^(\s*)```(.*)$')
COMMANDS = ('spinlab ', 'gtkwave ', 'make ', 'cmake ', 'cd ', 'parallel ', 'sbatch ')
INLINE = re.compile(r'`(spinlab (?:run|sweep|trace|disasm|list|protection-table)\b[^`]*)`')
# A number as output prints it: decimal, 0x hex, or bare hex with a digit (an address).
NUMBER = re.compile(r'\b(?:0x[0-9a-fA-F]+|[0-9a-fA-F]*[0-9][0-9a-fA-F]*)\b')
PLACE = re.compile(r'\b[A-Za-z_][\w-]*\.[chS]:\d+\b')
# "cycle 10 527" groups thousands with a space (or a no-break space).
CYCLE = re.compile(r'\bcycles? (\d{1,3}(?:[ \u00a0]\d{3})+|\d+)\b(?![.,]\d)')
# A cycle in the output: "cycle N", "N cycles", or a narrative line's first column.
OUT_CYCLE = re.compile(r'(?<![\w.])cycle (\d+)\b|\b(\d+) cycle\b')
NARRATED = re.compile(r'^\s*(\d+) hart\d', re.M)
# "Exit code **126**": the status a run exits with.
EXIT = re.compile(r'\b[Ee]xit code \**(\d+)\b(?:\*\*)?')
NOT_FROM_RUN = re.compile(r'<!--\s*lesson-check:\s*not from a run:(.*?)-->', re.S)
TIMEOUT = 300
# How alike (difflib's ratio, numbers ignored) a reworded line and the run's must be.
REWORDED = 0.75


class Block:
    def __init__(self, line, lines):
        self.line = line          # 1-based line of the first quoted line
        self.lines = lines        # the quoted lines, without the fences


def is_elision(line):
    return line.strip() == '...'


def parse(path):
    """Returns (commands, output blocks, prose lines as (lineno, text), lines)."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    lines = text.split('\n')
    commands, blocks, prose = [], [], []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        info = m.group(2).strip()
        j = i + 1
        while j < len(lines) and not FENCE.match(lines[j]):
            j += 1
        body = lines[i + 1:j]
        if not info:
            shown = []   # a command's lines, continued with a backslash, as one
            for l in body:
                if shown and shown[-1].endswith('\\'):
                    shown[-1] = shown[-1][:-1].rstrip() + ' ' + l.strip()
                elif l.strip():
                    shown.append(re.sub(r'^\$\s+', '', l.strip()))
            if shown and all(l.startswith(COMMANDS) for l in shown):
                commands += [l for l in shown if l.startswith('spinlab ')]
            else:
                blocks.append(Block(i + 2, [l.rstrip() for l in body]))
        i = j + 1
    for _, line in prose:
        commands += [c.strip() for c in INLINE.findall(line)]
    seen, unique = set(), []
    for c in commands:
        if c not in seen:
            seen.add(c)
            unique.append(c)
    return unique, blocks, prose, lines


def run(spinlab, command):
    """Runs one lesson command in a scratch directory: its merged output and exit status."""
    argv = shlex.split(command)
    scratch = tempfile.mkdtemp(prefix='lesson.')
    try:
        os.symlink(os.path.dirname(os.path.abspath(spinlab)), os.path.join(scratch, 'build'))
        p = subprocess.run([os.path.abspath(spinlab)] + argv[1:], cwd=scratch, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        return p.stdout.decode('utf-8', 'replace').split('\n'), p.returncode
    except subprocess.TimeoutExpired:
        return ['(timed out after %d s)' % TIMEOUT], None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run_all(spinlab, commands):
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(commands, pool.map(lambda c: run(spinlab, c), commands)))


@functools.lru_cache(maxsize=None)
def line_pattern(quoted, loose):
    """A regex for one quoted line: `...` is any text; loose: any numbers and spacing.

    Each piece between `...`s is a group, so that update can keep the elision."""
    parts = []
    for k, piece in enumerate(re.split(r'\s*\.\.\.\s*', quoted.strip())):
        if k:
            parts.append(r'\s*.*?\s*')
        if loose:
            body = ''.join(r'\s+' if t.isspace() else r'[0-9a-fA-Fx]+' if NUMBER.fullmatch(t) else re.escape(t)
                           for t in re.split(r'(\s+|' + NUMBER.pattern + ')', piece) if t)
        else:
            body = re.escape(piece)
        parts.append('(' + body + ')')
    return re.compile(r'\s*' + ''.join(parts) + r'\s*')


def segments(block):
    """The quoted lines between `...` lines, as (index in block, line) runs."""
    out, cur = [], []
    for k, line in enumerate(block.lines):
        if is_elision(line):
            if cur:
                out.append(cur)
            cur = []
        elif line.strip() or cur:
            cur.append((k, line))
    if cur:
        while cur and not cur[-1][1].strip():
            cur.pop()
        out.append(cur)
    return out


def match(block, output, loose):
    """Places the block's segments in the output, earliest first.

    Returns (placements, failed): placements maps a block index to an output
    index; failed is the first segment that could not be placed (the next ones
    are placed after the last that could), or None."""
    placed, at, failed = {}, 0, None
    for raw in segments(block):
        seg = [(k, line_pattern(l, loose)) for k, l in raw]
        for start in range(at, len(output) - len(seg) + 1):
            if all(p.fullmatch(output[start + n]) for n, (_, p) in enumerate(seg)):
                placed.update({k: start + n for n, (k, _) in enumerate(seg)})
                at = start + len(seg)
                break
        else:
            failed = failed or raw
    return placed, failed


def best_command(block, outputs, loose):
    """The command whose output holds the block (or most of it)."""
    best = None
    for command, output in outputs.items():
        placed, failed = match(block, output, loose)
        anywhere = sum(1 for l in block.lines if not is_elision(l) and l.strip() and
                       any(line_pattern(l, loose).fullmatch(o) for o in output))
        score = (failed is None, len(placed), anywhere)
        if best is None or score > best[0]:
            best = (score, command, placed, failed)
    return best[1], best[2], best[3]


def closest(line, output):
    near = difflib.get_close_matches(line.strip(), [o.strip() for o in output], n=1, cutoff=0.4)
    return near[0] if near else '(nothing like it)'


def prose_tokens(prose):
    """(lineno, kind, token, value) for each place, cycle and exit code the prose quotes."""
    text = '\n'.join(l for _, l in prose)
    exempt = ' | '.join(' '.join(m.group(1).split()) for m in NOT_FROM_RUN.finditer(text))

    def ok(token):
        return not re.search(r'(?<!\w)' + re.escape(' '.join(token.split())) + r'(?!\w)', exempt)

    tokens = []
    for lineno, line in prose:
        for m in PLACE.finditer(line):
            if ok(m.group(0)):
                tokens.append((lineno, 'place', m.group(0), m.group(0)))
        for m in CYCLE.finditer(line):
            if ok(m.group(0)):
                tokens.append((lineno, 'cycle', m.group(0), re.sub(r'\D', '', m.group(1))))
        for m in EXIT.finditer(line):
            if ok(m.group(0)):
                tokens.append((lineno, 'exit', m.group(0), m.group(1)))
    # A token split over two lines ("cycle\n10 527").
    for (lineno, line), (_, nxt) in zip(prose, prose[1:]):
        m = re.search(r'\bcycles?$', line.rstrip())
        n = re.match(r'\s*(\d{1,3}(?: \d{3})+|\d+)\b(?![.,]\d)', nxt)
        if m and n and ok(m.group(0) + ' ' + n.group(1)):
            tokens.append((lineno, 'cycle', m.group(0) + ' ' + n.group(1), re.sub(r'\D', '', n.group(1))))
    return tokens


def narrated(command):
    """The same run with its narrative: the cycles a lesson reads off a trace."""
    if command.startswith('spinlab run ') and not re.search(r'\s--narrate\b', command):
        return command + ' --narrate'
    return None


def check(path, outputs, codes, blocks, prose):
    problems = []
    for block in blocks:
        command, placed, failed = best_command(block, outputs, loose=False)
        if failed is None:
            continue
        output = outputs[command]
        pats = [line_pattern(l, False) for _, l in failed]
        # The longest run of the segment's lines the output has together; the next one differs.
        longest, says = 0, None
        for start in range(len(output)):
            n = 0
            while n < len(pats) and start + n < len(output) and pats[n].fullmatch(output[start + n]):
                n += 1
            if n > longest:
                longest = n
                says = output[start + n] if start + n < len(output) else '(the end of the output)'
        k, quoted = failed[min(longest, len(failed) - 1)]
        if says is None:
            says = closest(quoted, output)
        problems.append('%s:%d: quotes  %s\n%s   `%s` prints  %s' % (
            path, block.line + k, quoted.strip(), ' ' * len(path), command, says.strip()))
    everything = '\n'.join('\n'.join(o) for o in outputs.values())
    cycles = {a or b for a, b in OUT_CYCLE.findall(everything.replace(' cycles', ' cycle'))}
    cycles |= set(NARRATED.findall(everything))
    for lineno, kind, token, value in prose_tokens(prose):
        ok = (re.search(r'(?<![\w.])' + re.escape(value) + r'\b', everything) if kind == 'place'
              else int(value) in codes if kind == 'exit' else value in cycles)
        if not ok:
            if kind == 'exit':
                problems.append('%s:%d: prose quotes  %s\n%s   no run exits with it; the runs exit with %s' % (
                    path, lineno, token, ' ' * len(path), ', '.join(str(c) for c in sorted(codes))))
                continue
            if kind == 'place':
                stem = value.split(':')[0]
                seen = sorted(set(re.findall(r'(?<![\w.])' + re.escape(stem) + r':\d+', everything)))
            else:
                want = int(value)
                seen = sorted({n for n in cycles if abs(int(n) - want) <= max(20, want // 50)},
                              key=lambda n: abs(int(n) - want))[:5]
            problems.append('%s:%d: prose quotes  %s\n%s   no run prints it; the runs print %s' % (
                path, lineno, token, ' ' * len(path), ', '.join(seen) or 'nothing near it'))
    return problems


def squeeze(line):
    return ' '.join(NUMBER.sub('#', line).split())


def reworded(quoted, output, lo, hi):
    """The output line in [lo, hi) most like a quoted line whose words changed, if one is close."""
    want, best = squeeze(quoted.replace('...', '')), (0.0, None)
    for at in range(lo, hi):
        if output[at].strip():
            ratio = difflib.SequenceMatcher(None, want, squeeze(output[at]), autojunk=False).ratio()
            if ratio > best[0]:
                best = (ratio, at)
    return best[1] if best[0] >= REWORDED else None


def update(path, outputs, blocks, lines):
    """Rewrites each quoted block from the run it matches (numbers ignored).

    A line no run prints even with numbers ignored takes the most similar line
    of that run between its neighbours' places, if one is close: its words
    changed (`words` renames things); update says so, for a person to read."""
    problems, changed = [], 0
    for block in blocks:
        command, placed, failed = best_command(block, outputs, loose=True)
        output = outputs[command]
        quoted_lines = [k for k, l in enumerate(block.lines) if l.strip() and not is_elision(l)]
        for k in quoted_lines:
            if k in placed:
                continue
            lo = max([placed[j] + 1 for j in placed if j < k], default=0)
            hi = min([placed[j] for j in placed if j > k], default=len(output))
            same = [at for at in range(lo, hi) if line_pattern(block.lines[k], True).fullmatch(output[at])]
            if same:   # only its segment as a whole was not found: the line itself is there
                placed[k] = same[0]
                continue
            at = reworded(block.lines[k], output, lo, hi)
            if at is None:
                problems.append('%s:%d: cannot regenerate (`%s` prints no line like it; fix by hand): %s' % (
                    path, block.line + k, command, block.lines[k].strip()))
                continue
            placed[k] = at
            indent = block.lines[k][:len(block.lines[k]) - len(block.lines[k].lstrip())]
            problems.append('%s:%d: reworded from `%s` (read it): %s\n%s   now: %s' % (
                path, block.line + k, command, block.lines[k].strip(), ' ' * len(path), output[at].strip()))
            lines[block.line - 1 + k] = indent + output[at].strip() if '...' in block.lines[k] else output[at].rstrip()
            changed += 1
        for k, at in placed.items():
            quoted, real = block.lines[k], output[at].rstrip()
            got = line_pattern(quoted, True).fullmatch(real)
            if got is None:
                continue   # reworded above
            if '...' in quoted:
                # Keep the elisions; take the run's text for the pieces around them.
                seps = re.findall(r'\s*\.\.\.\s*', quoted.strip())
                indent = quoted[:len(quoted) - len(quoted.lstrip())]
                new = indent + got.group(1) + ''.join(sep + got.group(n + 2) for n, sep in enumerate(seps))
            else:
                new = real
            if new != quoted:
                lines[block.line - 1 + k] = new
                changed += 1
    return problems, changed


def main(argv):
    if len(argv) < 4 or argv[1] not in ('check', 'update'):
        sys.stderr.write(__doc__)
        return 2
    mode, spinlab, paths = argv[1], argv[2], argv[3:]
    parsed = {p: parse(p) for p in paths}
    commands = {c for p in paths for c in parsed[p][0]}
    commands |= {narrated(c) for c in commands if narrated(c)}
    results = run_all(spinlab, sorted(commands))
    outputs = {c: lines for c, (lines, _) in results.items()}
    problems = []
    for path in paths:
        cmds, blocks, prose, lines = parsed[path]
        if not cmds and blocks:
            problems.append('%s: quoted output but no `spinlab` command to run' % path)
            continue
        # The lesson's runs, and each again with --narrate, as the lessons quote it.
        mine = {c: outputs[c] for c in cmds + [narrated(c) for c in cmds] if c}
        if mode == 'update':
            notes, changed = update(path, mine, blocks, lines)
            if changed:
                with open(path, 'w', encoding='utf-8') as f:
                    f.write('\n'.join(lines))
                print('%s: %d line%s regenerated' % (path, changed, '' if changed == 1 else 's'))
            for note in notes:
                print(note)
            # Then the check, on the same runs: what is left is for a person.
            cmds, blocks, prose, lines = parse(path)
        codes = {results[c][1] for c in cmds if results[c][1] is not None}
        problems += check(path, mine, codes, blocks, prose)
    for p in problems:
        print(p)
    if not problems:
        print('%d lesson%s with %d runs' % (len(paths), ' agrees' if len(paths) == 1 else 's agree', len(commands)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
