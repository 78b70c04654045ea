#!/usr/bin/env bash
# libspinlab installed: `cmake --install` into a prefix (moved afterwards),
# then the example device built from the installed examples/ against the
# installed headers and library only, with CMake (find_package) and with
# pkg-config, its firmware with the installed kit, and run both ways by
# e2e.sh with the installed spinlab.
#   install.sh CMAKE BUILD_DIR E2E_SH
set -u
cmake=$1 build=$2 e2e=$3
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
unset SPINLAB_FIRMWARE_DIR SPINLAB_CONFIG_DIR SPINLAB_DOCS_DIR SPINLAB_KIT_DIR

"$cmake" --install "$build" --prefix "$tmp/first" >"$tmp/install.out" 2>&1 || { cat "$tmp/install.out"; exit 1; }
mv "$tmp/first" "$tmp/moved"
p=$tmp/moved
for f in include/spinlab/platform.h include/spinlab/plugin.h lib/libspinlab.a lib/pkgconfig/spinlab.pc \
         lib/cmake/spinlab/spinlabConfig.cmake lib/cmake/spinlab/spinlabConfigVersion.cmake \
         share/spinlab/examples/tlm-device/timer.cpp share/spinlab/docs/devices.md; do
  [ -f "$p/$f" ] || fail "not installed: $f"
done

# The installed example, copied as a user would, built with CMake.
cp -r "$p/share/spinlab/examples/tlm-device" "$tmp/ex"
if "$cmake" -S "$tmp/ex" -B "$tmp/ex/build" -DCMAKE_PREFIX_PATH="$p" >"$tmp/cfg.out" 2>&1 \
   && "$cmake" --build "$tmp/ex/build" -j2 >"$tmp/build.out" 2>&1; then
  ok "the example builds with find_package(spinlab)"
else
  fail "the example with CMake: $(tail -5 "$tmp/cfg.out" "$tmp/build.out")"
fi
# And with pkg-config, a plain compiler line each.
pc="env PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config"
cd "$tmp/ex" || exit 1
if c++ -std=c++17 -O1 main.cpp timer.cpp $($pc --cflags --libs spinlab) -o tlm_device_pc 2>"$tmp/pc.err" \
   && c++ -std=c++17 -O1 -shared -fPIC plugin.cpp timer.cpp $($pc --cflags spinlab) $($pc --libs systemc) \
        -o libtimer_pc.so 2>>"$tmp/pc.err"; then
  ok "the example builds with pkg-config"
else
  fail "pkg-config build: $(head -5 "$tmp/pc.err")"
fi
make -s -C "$tmp/ex/firmware" KIT="$p/share/spinlab/kit" >"$tmp/fw.out" 2>&1 \
  && ok "its firmware builds with the installed kit" || fail "firmware: $(tail -3 "$tmp/fw.out")"

"$e2e" "$p/bin/spinlab" "$tmp/ex/build/tlm_device" "$tmp/ex/build/libtimer_plugin.so" "$tmp/ex/firmware/tlm_timer.elf" \
  "$tmp/ex/tlm_timer.toml" "$tmp/run" >"$tmp/e2e.out" 2>&1 \
  && ok "installed: both ways run (e2e.sh)" || { cat "$tmp/e2e.out"; fail "e2e.sh on the installed spinlab"; }
"$e2e" "$p/bin/spinlab" "$tmp/ex/tlm_device_pc" "$tmp/ex/libtimer_pc.so" "$tmp/ex/firmware/tlm_timer.elf" \
  "$tmp/ex/tlm_timer.toml" "$tmp/run_pc" >"$tmp/e2e_pc.out" 2>&1 \
  && ok "installed, pkg-config builds: both ways run (e2e.sh)" || { cat "$tmp/e2e_pc.out"; fail "e2e.sh with the pkg-config builds"; }

[ "$failures" -eq 0 ] && echo "devices install: all passed" || echo "devices install: $failures failed"
[ "$failures" -eq 0 ]
