#!/usr/bin/env python3
"""Where the time between QEMU's spawn and a guest's line goes, phase by phase.

Starts QEMU as the harness's QemuVm does (docs/vm.md, "Start-up order"): listen on two unix
sockets, spawn QEMU with -S, accept its console and QMP connections, read the QMP greeting,
send qmp_capabilities, send cont; then read the console until QEMU exits. Each phase is stamped
from the spawn:

  console     QEMU connected its console socket (it has parsed its options, created its chardevs)
  qmp         QEMU connected its QMP socket
  greeting    the QMP greeting arrived
  caps        qmp_capabilities was answered (QEMU has built the machine and entered its main loop)
  cont        cont was answered (or QEMU ended first): the guest's CPU runs
  first_byte  the first console byte
  line        the first line holding --want
  exit        QEMU exited

Usage: boot_phases.py --kernel build/bin/rayos.elf --append 'osh.scenario=hello osh.seed=1' \\
           --want BOOT:READY --runs 20 [--qemu-arg ARG ...]
Prints the median, minimum and maximum of each phase in ms.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time

MACHINE = "microvm,pit=on,pic=on,rtc=on,isa-serial=on,x-option-roms=off"


def boot(kernel, append, want, extra):
    stamps = {}
    with tempfile.TemporaryDirectory(prefix="boot_phases-") as folder:
        paths = [os.path.join(folder, name) for name in ("console.sock", "qmp.sock")]
        listeners = []
        for path in paths:
            listener = socket.socket(socket.AF_UNIX)
            listener.bind(path)
            listener.listen(1)
            listeners.append(listener)
        argv = ["qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-S", "-M", MACHINE, "-accel", "tcg", "-m", "64M", "-smp", "1",
                "-kernel", kernel, "-append", append,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                "-chardev", f"socket,id=con0,path={paths[0]},server=off", "-serial", "chardev:con0",
                "-chardev", f"socket,id=qmp,path={paths[1]},server=off",
                "-mon", "chardev=qmp,mode=control", *extra]
        start = time.monotonic()
        stamp = lambda name: stamps.setdefault(name, (time.monotonic() - start) * 1000)
        qemu = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        console, _ = listeners[0].accept()
        stamp("console")
        qmp, _ = listeners[1].accept()
        stamp("qmp")
        replies = qmp.makefile("rb", buffering=0)
        replies.readline()
        stamp("greeting")
        for command, phase in (("qmp_capabilities", "caps"), ("cont", "cont")):
            qmp.sendall(json.dumps({"execute": command}).encode() + b"\n")
            try:  # a guest that exits at once can end QEMU before it answers cont
                while (line := replies.readline()) and "return" not in json.loads(line):
                    pass
            except ConnectionResetError:
                pass
            stamp(phase)
        output = b""
        while data := console.recv(65536):
            stamp("first_byte")
            output += data
            if want and want.encode() in output:
                stamp("line")
        qemu.wait()
        stamp("exit")
    return stamps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--append", default="")
    parser.add_argument("--want", default="", help="stamp the first line holding this")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--qemu-arg", action="append", default=[], help="extra QEMU argument")
    args = parser.parse_args()
    runs = [boot(args.kernel, args.append, args.want, args.qemu_arg) for _ in range(args.runs)]
    for phase in runs[0]:
        values = [run[phase] for run in runs if phase in run]
        print(f"{phase:<11} median {statistics.median(values):7.1f}  min {min(values):7.1f}  "
              f"max {max(values):7.1f} ms")


if __name__ == "__main__":
    main()
