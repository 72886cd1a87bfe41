"""How CTranslate2's OpenMP threads wait: spinning (libgomp's default) or asleep (PASSIVE).

    .venv/bin/python benchmarks/whisper_spin.py [--rounds 3] [--busy 0,2] [--clips 3]

libgomp reads ``OMP_WAIT_POLICY`` once, when CTranslate2 loads, so each setting runs in a
fresh process: it loads Whisper base (int8, the CPU threads the app uses), decodes one clip to
warm up, then the first ``--clips`` real ru-voxforge clips (beam 5, Russian), and reports the
wall and process CPU seconds per clip. "default" = the variable unset (libgomp spins 300,000
rounds before it sleeps), "PASSIVE" = what ``dictation.whisper_models`` sets unless the
station set a value, "ACTIVE" = spins on. The settings alternate, ``--rounds`` times, under
each ``--busy`` level: that many extra busy processes (nice 19, as the background pre-read
runs) for the whole measurement. Ratios are PASSIVE / default in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEECH = ROOT.parent / "shared" / "data" / "speech" / "ru-voxforge"
POLICIES = ("default", "PASSIVE", "ACTIVE")

CHILD = r"""
import json, sys, time, wave
import numpy as np
from dictation.engines.whisper_engine import load_model
from dictation.whisper_models import resolve_model
model = load_model(resolve_model("ru"), "ru")
def audio(path):
    with wave.open(path) as w:
        return np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
clips = [audio(p) for p in sys.argv[1:]]
list(model.transcribe(clips[0], language="ru", beam_size=5)[0])  # warm-up
out = []
for clip in clips:
    w0, c0 = time.perf_counter(), time.process_time()
    list(model.transcribe(clip, language="ru", beam_size=5, vad_filter=False)[0])
    out.append((time.perf_counter() - w0, time.process_time() - c0, len(clip) / 16000))
print(json.dumps(out))
"""


def run_child(policy: str, clips: list[str]) -> list[tuple[float, float, float]]:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if policy == "default":  # unset again after the app's module set it, before CT2 loads
        code = ("import os, dictation.whisper_models\n"
                "os.environ.pop('OMP_WAIT_POLICY', None)\n" + CHILD)
    else:
        env["OMP_WAIT_POLICY"] = policy
        code = CHILD
    proc = subprocess.run([sys.executable, "-c", code, *clips], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return [tuple(x) for x in json.loads(proc.stdout.strip().splitlines()[-1])]


def busy(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen(["nice", "-n", "19", sys.executable, "-c", "while True: pass"])
            for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--busy", default="0,2")
    ap.add_argument("--clips", type=int, default=3)
    ap.add_argument("--policies", default="default,PASSIVE")
    args = ap.parse_args()
    clips = [str(p) for p in sorted(SPEECH.glob("*.wav"))[:args.clips + 1]]
    if len(clips) < 2:
        sys.exit(f"no ru-voxforge clips under {SPEECH}")
    policies = args.policies.split(",")
    print(f"load average at start: {os.getloadavg()}")
    for level in (int(b) for b in args.busy.split(",")):
        hogs = busy(level)
        time.sleep(1.0 if level else 0)
        walls: dict[str, list[float]] = {p: [] for p in policies}
        cpus: dict[str, list[float]] = {p: [] for p in policies}
        try:
            for _ in range(args.rounds):
                for policy in policies:
                    for wall, cpu, _secs in run_child(policy, clips):
                        walls[policy].append(wall)
                        cpus[policy].append(cpu)
        finally:
            for h in hogs:
                h.kill()
        print(f"\n{level} busy process(es) at nice 19; load average {os.getloadavg()}")
        print("| wait policy | decode wall, median s | CPU, median s | wall vs default "
              "| CPU vs default |")
        print("|---|---|---|---|---|")
        base_w = statistics.median(walls[policies[0]])
        base_c = statistics.median(cpus[policies[0]])
        for p in policies:
            w, c = statistics.median(walls[p]), statistics.median(cpus[p])
            print(f"| {p} | {w:.3f} | {c:.3f} | {w / base_w:.2f} | {c / base_c:.2f} |")


if __name__ == "__main__":
    main()
