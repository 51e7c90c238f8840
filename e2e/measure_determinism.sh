#!/bin/bash
# Usage: e2e/measure_determinism.sh (N=10 SPECS="..." OUT=/tmp/e2e_det; osharness built in build/).
# N runs of each e2e spec with its fixed seed: verdict, hash of the timeline's event names (order),
# hash of names and times, hash of the screenshot files.
cd "$(dirname "$0")/.."
N=${N:-10}
for s in ${SPECS:-desktop_workload theme_change window_resize clipboard_stress apps_drag_drop idle_surge
    shutdown_recovery logout_unsaved media_playback fullscreen_video}; do
  for i in $(seq 1 $N); do
    ./build/bin/osharness run e2e/specs/$s.json --out ${OUT:-/tmp/e2e_det}/$s-$i --overwrite --quiet >/dev/null 2>&1
    python3 - "$s" "$i" "${OUT:-/tmp/e2e_det}" <<'PY'
import json,sys,hashlib,glob
s,i,out=sys.argv[1],sys.argv[2],sys.argv[3]
r=json.load(open(f'{out}/{s}-{i}/report.json'))['runs'][0]
ev=r['analysis'].get('timeline',{}).get('events')
h=lambda b: hashlib.sha256(b).hexdigest()[:12]
order=h(json.dumps([e['name'] for e in ev]).encode())
times=h(json.dumps(ev,sort_keys=True).encode())
shots=sorted(p for p in glob.glob(f'{out}/{s}-{i}/runs/*/screens/*.png') if '.golden.' not in p and '.diff.' not in p)
print(s,i,r['verdict'],'order',order,'times',times,'shots',h(b''.join(open(p,'rb').read() for p in shots)),len(shots))
PY
  done
done
