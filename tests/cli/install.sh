#!/usr/bin/env bash
# `cmake --install`: the installed spinlab finds its firmware, configs,
# lessons and kit beside itself, from any directory, after the prefix was
# moved (nothing of the install prefix or of the build tree is compiled in),
# and `spinlab new` builds against the installed kit.
#   install.sh CMAKE BUILD_DIR JQ STARTER_SH FIRMWARE_SRC
set -u
cmake=$1 build=$2 jq=$3 starter=$4 src=$5
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
unset SPINLAB_FIRMWARE_DIR SPINLAB_CONFIG_DIR SPINLAB_DOCS_DIR SPINLAB_KIT_DIR

"$cmake" --install "$build" --prefix "$tmp/first" >"$tmp/install.out" 2>&1 || { cat "$tmp/install.out"; exit 1; }
mv "$tmp/first" "$tmp/moved"
p=$tmp/moved
for f in bin/spinlab share/spinlab/firmware/irq_deadlock.elf share/spinlab/configs/default.toml \
         share/spinlab/configs/scenarios/03-irq-deadlock.toml share/spinlab/docs/lessons/03-irq-deadlock.md \
         share/spinlab/docs/kit.md \
         share/spinlab/kit/spinlab.mk share/spinlab/kit/lib/libkernel.a share/spinlab/kit/kernel.ld \
         share/spinlab/kit/include/defs.h share/spinlab/kit/include/kernel.h share/spinlab/kit/include/harts.h \
         share/spinlab/kit/starter/spinlock.c; do
  [ -f "$p/$f" ] || fail "not installed: $f"
done

mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere" || exit 1
"$p/bin/spinlab" run irq-deadlock --report r.json --explain >run.out 2>run.err
code=$?
[ "$code" -eq 126 ] && ok "run irq-deadlock: 126, the deadlock" || fail "run irq-deadlock exited $code: $(cat run.err)"
[ "$("$jq" -r .firmware r.json)" = "$p/share/spinlab/firmware/irq_deadlock.elf" ] \
  && [ "$("$jq" -r .config r.json)" = "$p/share/spinlab/configs/scenarios/03-irq-deadlock.toml" ] \
  && ok "the installed firmware and config ran" || fail "ran $("$jq" -r '.config, .firmware' r.json)"
grep -q "^The lesson: docs/lessons/03-irq-deadlock.md" run.out && grep -q "^The rules:" run.out \
  && ok "--explain reads the installed lesson" || fail "--explain: $(grep -A2 '^The lesson' run.out)"
"$p/bin/spinlab" list >list.out 2>list.err || fail "list: $(cat list.err)"
[ "$(grep -c . list.out)" -eq "$(ls "$p"/share/spinlab/configs/scenarios/*.toml | wc -l)" ] \
  && grep -q "^irq-deadlock " list.out && ok "list: every installed scenario" || fail "list printed: $(head -3 list.out)"
"$p/bin/spinlab" run hello >hello.out 2>&1 && ok "run a bundled program by name" || fail "run hello: $(tail -2 hello.out)"
# The environment still overrides the installed directories.
SPINLAB_CONFIG_DIR=$tmp/none "$p/bin/spinlab" list >none.out 2>none.err
[ $? -eq 66 ] && grep -q "$tmp/none/scenarios" none.err && ok "SPINLAB_CONFIG_DIR overrides" \
  || fail "SPINLAB_CONFIG_DIR: $(cat none.err)"

# The starter exercise against the installed kit.
"$starter" "$p/bin/spinlab" "$p/share/spinlab/kit" "$src" >starter.out 2>&1 && ok "the starter exercise on the installed kit" \
  || { cat starter.out; fail "starter on the installed kit"; }

[ "$failures" -eq 0 ] && echo "install: all passed" || echo "install: $failures failed"
[ "$failures" -eq 0 ]
