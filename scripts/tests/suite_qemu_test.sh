#!/usr/bin/env bash
# scripts/suite-qemu lists the QEMU processes of the suite's own session only. Before (issue 18),
# scripts/test flagged any QEMU whose command line held "osh-" — another suite's, a user's
# campaign — and failed a green run. Stand-ins: sleep under QEMU's name, with "osh-" in argv.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
ln -s "$(command -v sleep)" "$dir/qemu-system-x86_64"
# argv[0] "<dir>/qemu-system-x86_64 -chardev socket,path=/tmp/osh-<who>/console", then 300.
fake_qemu='exec -a "$1/qemu-system-x86_64 -chardev socket,path=/tmp/osh-$2/console" "$1/qemu-system-x86_64" 300'

# Another session's QEMU: the old check (`pgrep -f 'qemu-system-x86_64.*osh-'`) took it for a leak.
setsid bash -c "$fake_qemu" _ "$dir" other &
pids+=($!)
# The suite's session: its leader starts a QEMU in the background and says who is who.
setsid bash -c 'echo $$ >"$1/sid"; bash -c "$2" _ "$1" mine & echo $! >"$1/mine"; wait' _ "$dir" "$fake_qemu" &
pids+=($!)
for _ in $(seq 50); do [[ -s $dir/mine ]] && break; sleep 0.1; done
sid=$(cat "$dir/sid")
mine=$(cat "$dir/mine")
pids+=("$mine")
sleep 0.3
pgrep -f 'qemu-system-x86_64.*osh-other' >/dev/null || { echo "FAIL: no stand-in for another QEMU" >&2; exit 1; }

listed=$("$here/suite-qemu" "$sid")
echo "listed: $listed"
[[ $(wc -l <<<"$listed") == 1 ]] || { echo "FAIL: expected exactly one process" >&2; exit 1; }
[[ $listed == *"$mine"*"osh-mine"* ]] || { echo "FAIL: the suite's own QEMU is not listed" >&2; exit 1; }
kill "$mine"
sleep 0.3
listed=$("$here/suite-qemu" "$sid")
[[ -z $listed ]] || { echo "FAIL: listed after it ended: $listed" >&2; exit 1; }
echo PASS
