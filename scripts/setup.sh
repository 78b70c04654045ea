#!/usr/bin/env bash
# Installs the Debian 12 packages spinlab needs, if any is missing.
# Run as root or with sudo available. Safe to run again: it does nothing when
# everything is there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsystemc-dev libboost-dev libboost-program-options-dev libfmt-dev
  libgtest-dev libtomlplusplus-dev libelf-dev libdw-dev nlohmann-json3-dev
  gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
  qemu-system-misc gtkwave gdb-multiarch
  xvfb xauth x11-utils imagemagick jq
  gnuplot-nox libxml2-utils parallel python3
  clang-format clang-tidy
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
