#!/usr/bin/env python3
"""How long the kernel takes to hand a cached file over, read as `osharness parse` reads it.

Reads the file with pread in 128 KiB pieces (feed_file's segment size) into one reused buffer,
on one thread, and prints the time and the system CPU time it took. On the development host the
same 100 MB log, wholly in the page cache each time, took 5.5 ms or 18 ms depending on how its
pages were cached (docs/performance.md, "The page cache's folios"): run this beside a parse
figure to say which case it was.

Usage: read_floor.py LOG [--runs N]
Prints the median and minimum over N runs (default 10) in ms.
"""
import argparse
import os
import resource
import statistics
import time

SEGMENT = 128 * 1024


def read_once(path):
    buffer = bytearray(SEGMENT)
    view = memoryview(buffer)
    fd = os.open(path, os.O_RDONLY)
    try:
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        offset = 0
        while True:
            n = os.preadv(fd, [view], offset)
            if n <= 0:
                break
            offset += n
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        os.close(fd)
    return wall * 1000, (after.ru_stime - before.ru_stime) * 1000, offset


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    walls, systems = [], []
    size = 0
    for _ in range(args.runs):
        try:
            wall, system, size = read_once(args.log)
        except OSError as e:
            raise SystemExit(f"read_floor.py: {args.log}: {e.strerror}")
        walls.append(wall)
        systems.append(system)
    print(f"{args.log}: {size} bytes; read in {statistics.median(walls):.1f} ms median "
          f"(min {min(walls):.1f}), system CPU {statistics.median(systems):.1f} ms median")


if __name__ == "__main__":
    main()
