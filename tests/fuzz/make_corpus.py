#!/usr/bin/env python3
"""Makes the fuzz targets' seed corpus (tests/fuzz/corpus/TARGET/) from real
inputs: the instruction words of tests/isa's all_insns objects and of the
bundled firmware, the bundled ELFs cut down, the configs of configs/, and
the RSP packets GDB sends in a session. Seeds are small (a few dozen files a
target); a crash found later is added beside them by hand (README, "Fuzzing")
and stays: this script only writes the files it makes.

  tests/fuzz/make_corpus.py BUILD_DIR   (a gcc build with the firmware built:
                                         cmake --build BUILD_DIR --target firmware sim_test_programs)
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(SRC, "tests", "fuzz", "corpus")
GCC = "riscv64-unknown-elf-gcc"
OBJCOPY = "riscv64-unknown-elf-objcopy"
STRIP = "riscv64-unknown-elf-strip"


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def text_of(obj, tmp, section=".text"):
    out = os.path.join(tmp, os.path.basename(obj) + ".bin")
    subprocess.run([OBJCOPY, "-O", "binary", "-j", section, obj, out], check=True)
    with open(out, "rb") as f:
        return f.read()


def image_of(elf, tmp):
    out = os.path.join(tmp, os.path.basename(elf) + ".img")
    subprocess.run([OBJCOPY, "-O", "binary", elf, out], check=True)
    with open(out, "rb") as f:
        return f.read()


def decode_seeds(build, tmp):
    for src, march in (("all_insns.S", "rv32ima_zicsr_zifencei"), ("all_insns_c.S", "rv32imac_zicsr_zifencei")):
        obj = os.path.join(tmp, src + ".o")
        subprocess.run([GCC, f"-march={march}", "-mabi=ilp32", "-c", os.path.join(SRC, "tests", "isa", src),
                        "-o", obj], check=True)
        text = text_of(obj, tmp)
        # Every instruction, in a dozen files a source.
        step = (len(text) // 12 + 3) & ~3
        for n, i in enumerate(range(0, len(text), step)):
            put("decode", f"{src.split('.')[0]}-{n:02d}", text[i:i + step])
    for prog in ("hello", "irq_deadlock"):
        text = text_of(os.path.join(build, "firmware", prog + ".elf"), tmp)
        for n, i in enumerate(range(0, min(len(text), 1024), 256)):
            put("decode", f"{prog}-{n}", text[i:i + 256])


def elf_seeds(build, tmp):
    progs = os.path.join(build, "tests", "sim")
    for name in ("prog_nodebug.elf", "prog64.elf"):
        with open(os.path.join(progs, name), "rb") as f:
            put("elf", name, f.read())
    # tests/sim's programs with debug info, built here so that the DWARF
    # names no directory of this machine.
    for src in ("start.S", "prog.c"):
        shutil.copy(os.path.join(SRC, "tests", "sim", "programs", src), tmp)
    rv32 = [GCC, "-march=rv32ima_zicsr_zifencei", "-mabi=ilp32", "-nostdlib", "-nostartfiles", "-O1", "-g",
            f"-fdebug-prefix-map={tmp}=.", "-Wl,--no-warn-rwx-segments", "-Wl,--nmagic"]
    for name, extra in (("prog.elf", ["-Ttext=0x80000000", "start.S", "prog.c"]),
                        ("prog_low.elf", ["-Ttext=0x1000", "start.S", "prog.c"]), ("prog.o", ["-c", "prog.c"])):
        subprocess.run(rv32 + extra + ["-o", name], cwd=tmp, check=True)
        with open(os.path.join(tmp, name), "rb") as f:
            put("elf", name, f.read())
    with open(os.path.join(tmp, "prog.elf"), "rb") as f:
        prog = f.read()
    put("elf", "prog-header-only", prog[:52])           # the ELF header alone
    put("elf", "prog-headers", prog[:52 + 32 * 2])      # ... and its program headers
    put("elf", "prog-cut-1k", prog[:1024])
    put("elf", "prog-cut-half", prog[:len(prog) // 2])
    for prog_name in ("hello", "race"):
        stripped = os.path.join(tmp, prog_name + ".stripped")
        subprocess.run([STRIP, "--strip-debug", "-o", stripped, os.path.join(build, "firmware", prog_name + ".elf")],
                       check=True)
        with open(stripped, "rb") as f:
            put("elf", prog_name + "-nodebug", f.read())
        subprocess.run([STRIP, "--strip-all", "--remove-section=.data", "-o", stripped,
                        os.path.join(build, "firmware", prog_name + ".elf")], check=True)
        with open(stripped, "rb") as f:
            put("elf", prog_name + "-stripped", f.read())
    # Section headers gone (a stripped-to-segments ELF): e_shoff, e_shnum, e_shstrndx zeroed.
    with open(os.path.join(progs, "prog_nodebug.elf"), "rb") as f:
        data = bytearray(f.read())
    data[32:36] = b"\0\0\0\0"
    data[48:52] = b"\0\0\0\0"
    put("elf", "prog-no-sections", bytes(data))


def config_seeds():
    cfgs = os.path.join(SRC, "configs")
    for d, _, files in os.walk(cfgs):
        for name in sorted(files):
            if name.endswith(".toml"):
                with open(os.path.join(d, name), "rb") as f:
                    rel = os.path.relpath(os.path.join(d, name), cfgs).replace("/", "-")
                    put("config", rel, f.read())
    with open(os.path.join(cfgs, "default.toml"), "rb") as f:
        default = f.read()
    sets = {
        "default+harts": b"machine.harts=4\nrun.max_cycles=1000\n",
        "default+isa": b"machine.isa=rv32ima\nmachine.arbitration=fixed_priority\n",
        "default+params": b"firmware.params.timer_phase=140\nfirmware.params.bad=-1\n",
        "default+trace": b"trace.vcd=out.vcd\ntrace.words=[\"counter\"]\ntrace.window=\"10..20\"\n",
        "default+monitor": b"run.monitor=off\nrun.on_deadlock=\"continue\"\nmonitor.spin_threshold=3\n",
        "default+gdb": b"run.gdb=\"127.0.0.1:0\"\nrun.gdb_stop_on=[\"race\"]\nrun.gdb_checkpoint=0\n",
        "default+device": b"device.timer0.period=100\nmachine.cost.div=33\nmachine.latency.ram=2\n",
        "default+table": b"machine={harts=2, mtime_divider=5}\nirq_source=[{line=3, period=100}]\n",
    }
    for name, lines in sets.items():
        put("config", name, default + b"--set\n" + lines)
    put("config", "sets-only", b"--set\nfirmware.program=hello\nmachine.harts=65\nmachine.ram_bytes=0x100000\n")


def frame(payload):
    esc = b""
    for c in payload:
        esc += bytes([0x7d, c ^ 0x20]) if c in b"$#}*" else bytes([c])
    return b"$" + esc + b"#" + b"%02x" % (sum(esc) % 256)


# What GDB (gdb-multiarch 13) sends connecting to a RISC-V stub, and the
# commands of tests/gdb/session.sh's cases.
GDB_START = [
    b"qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;"
    b"vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+",
    b"vMustReplyEmpty", b"QStartNoAckMode", b"Hgp0.0", b"qXfer:features:read:target.xml:0,ffb",
    b"qTStatus", b"?", b"qfThreadInfo", b"qsThreadInfo", b"qAttached", b"Hc-1", b"qC", b"qOffsets", b"g",
]
SESSIONS = {
    "start": GDB_START,
    "break": [b"Z0,80000010,4", b"vCont?", b"vCont;c:p1.-1", b"z0,80000010,4", b"c"],
    "watch": [b"Z2,80001000,4", b"Z3,80001000,4", b"Z4,80001000,2", b"vCont;c", b"z2,80001000,4"],
    "step": [b"Hg2", b"vCont;s:2", b"s", b"vCont;s:1;c", b"p20", b"p1", b"P5=78563412", b"p5"],
    "memory": [b"m80000000,40", b"M80001000,4:01020304", b"X80001000,3:a}\x03b", b"m80001000,4", b"m0,4",
               b"mffffffff,8"],
    "registers": [b"g", b"G" + b"00" * 33 * 4, b"p341", b"P341=00000080", b"p344", b"P344=ffffffff",
                  b"pf14", b"Pf14=01000000"],
    "threads": [b"qfThreadInfo", b"qsThreadInfo", b"qThreadExtraInfo,1", b"qThreadExtraInfo,2", b"Hg1", b"T1",
                b"T9", b"Hc0", b"Hg-1"],
    "monitor": [b"qRcmd," + b"locks".hex().encode(), b"qRcmd," + b"findings".hex().encode(),
                b"qRcmd," + b"cycle".hex().encode(), b"qRcmd," + b"narrate on".hex().encode(),
                b"qRcmd," + b"help".hex().encode(), b"qRcmd,zz"],
    "reverse": [b"bs", b"bc", b"vCont;c", b"D"],
    "kill": [b"vCont;c", b"k"],
    "vkill": [b"vKill;1"],
    "detach": [b"Z0,80000004,4", b"D;1"],
    "bad": [b"", b"Z9,1,1", b"m80000000", b"Mzz", b"vCont;x", b"qXfer:features:read:nope:0,1", b"Hgzz",
            b"P41=1", b"G00"],
}


def gdb_seeds():
    for n, (name, packets) in enumerate(SESSIONS.items()):
        stream = b"+"
        for p in (GDB_START + packets if name != "start" else packets):
            stream += frame(p) + b"+"
        # byte 0: read lengths and the server (bit 7); byte 1: a small packet limit.
        put("gdb", name, bytes([0x80 | (n % 16), 16 + n]) + stream)
    # The reader's own cases, without the server.
    put("gdb", "interrupt", b"\x03\x05" + frame(b"vCont;c") + b"\x03+-")
    put("gdb", "bad-checksum", b"\x01\x10" + b"$g#00+$m0,4#zz" + frame(b"?"))
    put("gdb", "runlength", b"\x02\x08" + b"$0* #4a" + b"$*3#5d" + b"$a}#" + b"$a}" + b"}#00")
    put("gdb", "restart", b"\x03\x04" + b"$qSupp$" + frame(b"qSupported")[1:])
    put("gdb", "overlong", b"\x07\x03" + frame(b"X80000000,40:" + bytes(range(64))) + b"noise" + frame(b"g"))


def machine_seeds(build, tmp):
    # Byte 0 (targets/machine.cpp): harts - 1 in bits 0-1; bit 2 the
    # prologue; bit 3 twice; bit 4 no C; bit 5 hart0 only; bit 6 fixed
    # priority; bit 7 every event described.
    for prog, choice in (("race", 0x01), ("abba", 0x01), ("test_and_set", 0x03), ("hello", 0x00),
                         ("irqsave", 0x81), ("irq_deadlock", 0x00), ("xv6", 0x43), ("trylock", 0x09)):
        path = os.path.join(build, "firmware", prog + ".elf")
        if os.path.exists(path):
            put("machine", f"{prog}-{choice:02x}", bytes([choice]) + image_of(path, tmp)[:20 * 1024])
    text = text_of(os.path.join(build, "firmware", "irq_deadlock.elf"), tmp)
    for n, i in enumerate(range(0, min(len(text), 4096), 512)):
        put("machine", f"irq_deadlock-text-{n}", bytes([0x04 | (n & 3) | (0x10 if n == 3 else 0)]) + text[i:i + 512])
    with open(os.path.join(OUT, "decode", "all_insns-00"), "rb") as f:
        put("machine", "all_insns-prologue", b"\x0c" + f.read()[:2048])
    with open(os.path.join(OUT, "decode", "all_insns_c-00"), "rb") as f:
        put("machine", "all_insns_c-prologue", b"\x05" + f.read()[:2048])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        decode_seeds(build, tmp)
        elf_seeds(build, tmp)
        config_seeds()
        gdb_seeds()
        machine_seeds(build, tmp)
    for t in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, t))
        size = sum(os.path.getsize(os.path.join(OUT, t, f)) for f in files)
        print(f"{t}: {len(files)} files, {size} bytes")


if __name__ == "__main__":
    main()
