#!/usr/bin/env bash
# `cpack -G DEB`: spinlab_VERSION_ARCH.deb holds the binary and its data under
# /usr, depends on the libraries the binary links (libsystemc, ...),
# recommends the cross compiler and GTKWave, and its extracted binary runs a
# scenario and lists them with no build tree or environment to help.
#   deb.sh CPACK BUILD_DIR VERSION
set -u
cpack=$1 build=$2 version=$3
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
unset SPINLAB_FIRMWARE_DIR SPINLAB_CONFIG_DIR SPINLAB_DOCS_DIR SPINLAB_KIT_DIR

"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.out" 2>&1 \
  || { cat "$tmp/cpack.out"; exit 1; }
deb=$(ls "$tmp"/out/spinlab_"$version"_*.deb 2>/dev/null)
[ -f "$deb" ] && ok "$(basename "$deb")" || { ls "$tmp/out"; fail "no spinlab_${version}_ARCH.deb"; exit 1; }

dpkg-deb --contents "$deb" | awk '{print $NF}' >"$tmp/contents"
for f in ./usr/bin/spinlab ./usr/share/spinlab/firmware/irq_deadlock.elf \
         ./usr/share/spinlab/configs/scenarios/03-irq-deadlock.toml ./usr/share/spinlab/docs/lessons/03-irq-deadlock.md \
         ./usr/share/spinlab/kit/spinlab.mk ./usr/share/spinlab/kit/lib/libkernel.a ./usr/share/spinlab/kit/starter/spinlock.c; do
  grep -qxF "$f" "$tmp/contents" || fail "not in the package: $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsystemc libfmt9 libtomlplusplus3 libboost-program-options libelf1 libdw1 libc6; do
  case "$depends" in *"$lib"*) ;; *) fail "Depends lacks $lib: $depends" ;; esac
done
recommends=$(dpkg-deb -f "$deb" Recommends)
for pkg in gcc-riscv64-unknown-elf gtkwave; do
  case "$recommends" in *"$pkg"*) ;; *) fail "Recommends lacks $pkg: $recommends" ;; esac
done
[ "$failures" -eq 0 ] && ok "contents, Depends, Recommends"

# Unpacked anywhere, it runs as installed.
dpkg-deb -x "$deb" "$tmp/root"
cd "$tmp" || exit 1
"$tmp/root/usr/bin/spinlab" run irq-deadlock -q >run.out 2>run.err
code=$?
[ "$code" -eq 126 ] && ok "the packaged spinlab: irq-deadlock exits 126" || fail "irq-deadlock exited $code: $(cat run.err)"
"$tmp/root/usr/bin/spinlab" list >list.out 2>list.err && grep -q "^irq-deadlock " list.out \
  && ok "the packaged spinlab lists the scenarios" || fail "list: $(cat list.err)"

[ "$failures" -eq 0 ] && echo "deb: all passed" || echo "deb: $failures failed"
[ "$failures" -eq 0 ]
