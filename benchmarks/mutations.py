"""Mutation check of the promises: apply small, realistic bugs and see whether tests catch them.

    .venv/bin/python benchmarks/mutations.py [--only ID,ID] [--list] [--markdown]

The tree (``git ls-files`` plus untracked, not ignored, files) is copied to a temp folder
once; each mutation replaces one exact snippet in one file of the copy, runs the tests named
for it there (``pytest -x``, ``CI`` set so nothing can pass by skipping, the shared data from
this checkout), and puts the file back. ``killed``: the tests failed; ``SURVIVED``: they
passed with the bug in; ``stale``: the snippet is no longer in the code (update the list).
A baseline run of every named test on the unmutated copy must pass first.

Run it before resolving an issue that touches the modules below (studies pixels and headers,
records outbox and sync, core logging and files, inference grading and measures, dictation
session and engines); its latest table goes in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutation:
    id: str
    promise: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "hu-intercept-first", "exact HU: float rescale adds the intercept before the slope",
        "studies/pixels.py",
        "        np.multiply(raw, slope, out=out, casting=\"unsafe\")\n"
        "        out += np.float32(intercept)\n",
        "        np.copyto(out, raw, casting=\"unsafe\")\n"
        "        out += np.float32(intercept)\n        out *= np.float32(slope)\n",
        ("tests/studies/test_loader.py",)),
    Mutation(
        "hu-int16-intercept-first", "exact HU: int16 fast path adds the intercept first",
        "studies/pixels.py",
        "        if slope != 1:\n            out *= np.int16(slope)\n"
        "        if intercept:\n            out += np.int16(intercept)\n",
        "        if intercept:\n            out += np.int16(intercept)\n"
        "        if slope != 1:\n            out *= np.int16(slope)\n",
        ("tests/studies/test_loader.py",)),
    Mutation(
        "hu-int16-any-slope", "exact HU: int16 output for any integral slope (slope 2 wraps)",
        "studies/pixels.py",
        "    fits = all(abs(s.slope) <= 1 for s in sources)\n",
        "    fits = True\n",
        ("tests/studies/test_loader.py",)),
    Mutation(
        "hu-intercept-ignored", "exact HU: RescaleIntercept not read",
        "studies/dicom_header.py",
        "        intercept = float(item.get(\"RescaleIntercept\") or 0)\n",
        "        intercept = 0.0\n",
        ("tests/studies/test_loader.py",)),
    Mutation(
        "phi-filter-off", "no PHI in logs: the filter masks nothing",
        "core/logging.py",
        "    def filter(self, record: logging.LogRecord) -> bool:\n",
        "    def filter(self, record: logging.LogRecord) -> bool:\n        return True\n",
        ("tests/core", "tests/app/test_phi_logs.py")),
    Mutation(
        "phi-loader-logs-name", "no PHI in logs: the loader logs the patient's name",
        "studies/loader.py",
        "            \"(list them with `luch info`)\")\n    return volume\n",
        "            \"(list them with `luch info`)\")\n"
        "    log.info(\"opened %s\", volume.info.patient_name)\n    return volume\n",
        ("tests/core/test_phi_in_code.py", "tests/app/test_phi_logs.py")),
    Mutation(
        "draft-in-place", "crash-safe drafts: JSON written in place, not atomically",
        "core/files.py",
        "    remove_stale_temps(path, STALE_TEMP_S)\n",
        "    with path.open(\"w\", encoding=\"utf-8\") as f:\n"
        "        json.dump(data, f, ensure_ascii=False, indent=1)\n    return\n",
        ("tests/app/test_drafts_crash.py",)),
    Mutation(
        "sync-resend-without-asking", "exactly-once sync: a retried batch is sent without "
        "asking the archive what it holds",
        "records/sync.py",
        "        missing = {uid: obj for out in ready for uid, obj in out.objects.items()\n"
        "                   if uid not in present}\n",
        "        missing = {uid: obj for out in ready for uid, obj in out.objects.items()}\n",
        ("tests/records/test_sync_faults.py::"
         "test_lost_response_then_link_down_next_drain_asks_before_resending",)),
    Mutation(
        "sync-done-unconfirmed", "exactly-once sync: jobs marked done without the archive's "
        "confirmation",
        "records/sync.py",
        "        done = [out.job.id for out in batch.ready if all(u in present for u in "
        "out.objects)]\n",
        "        done = [out.job.id for out in batch.ready]\n",
        ("tests/records/test_sync_faults.py::test_connection_cut_mid_upload",)),
    Mutation(
        "outbox-dead-lease-kept", "exactly-once sync under kill -9: jobs leased by a dead "
        "process wait for the lease to expire",
        "records/outbox.py",
        "                       & ((OutboxJob.lease_until < now) | OutboxJob.id.in_(stale))),\n",
        "                       & (OutboxJob.lease_until < now)),\n",
        ("tests/records/test_sync_faults.py::"
         "test_sync_process_killed_mid_drain_and_restarted",)),
    Mutation(
        "versions-deletable", "immutable reports: DELETE on report versions allowed",
        "records/migrations/versions/0001_initial_schema.py",
        "    \"\"\"CREATE TRIGGER report_version_no_delete BEFORE DELETE ON report_version\n"
        "       BEGIN SELECT RAISE(ABORT, 'report_version is immutable'); END\"\"\",\n",
        "",
        ("tests/records/test_store.py",)),
    Mutation(
        "audit-updatable", "append-only audit: UPDATE on audit rows allowed",
        "records/migrations/versions/0001_initial_schema.py",
        "    \"\"\"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event\n"
        "       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END\"\"\",\n",
        "",
        ("tests/records/test_store.py",)),
    Mutation(
        "grade-boundary", "grades: 25 % read as CT-2 (boundary off by one)",
        "inference/grading.py",
        "    if percent <= 25:\n",
        "    if percent < 25:\n",
        ("tests/inference/test_grading.py",)),
    Mutation(
        "grade-rule-swapped", "grades: the worse-lung rule grades both lungs together",
        "inference/measures.py",
        "    grade = worst if rule is GradeRule.WORST_LUNG else both\n",
        "    grade = both if rule is GradeRule.WORST_LUNG else worst\n",
        ("tests/inference/test_measures.py",)),
    Mutation(
        "pattern-bands-counted", "pattern: basal / dependent bands count toward \"high\"",
        "inference/measures.py",
        "    if feat.outside_bands is not None:\n        feat = feat.outside_bands\n",
        "",
        ("tests/inference/test_measures.py",)),
    Mutation(
        "pattern-band-floor", "pattern: a few mL of thin basal ground glass taken for a band",
        "inference/measures.py",
        "            & (count * float(np.prod(sampling)) / 1000.0 >= BAND_MIN_ML))",
        ")",
        ("tests/inference/test_measures.py",)),
    Mutation(
        "pattern-lesions-across-lungs", "pattern: confluent disease of both lungs one lesion",
        "inference/measures.py",
        "    sizes = (np.bincount(comps[lesion] * 2 + left, minlength=2 * n + 2)[2:]\n",
        "    sizes = (np.bincount(comps[lesion] * 2, minlength=2 * n + 2)[2:]\n",
        ("tests/inference/test_measures.py",)),
    Mutation(
        "classical-specks", "classical phantom CT-0: flat partial-volume specks kept",
        "inference/segmenters.py",
        "        ggo, cons = ggo & lesion, cons & lesion\n",
        "",
        ("tests/inference/test_preread.py::test_classical_preread_of_phantom",)),
    Mutation(
        "engine-no-flush", "last word kept: PocketSphinx never flushes at the end of the stream",
        "dictation/engines/pocketsphinx_engine.py",
        "        if self._endpointer.in_speech:\n            return self._frame(frame, last=True)\n"
        "        return None\n",
        "        return None\n",
        ("tests/dictation/test_clip_end.py",)),
    Mutation(
        "session-drops-last", "last word kept: the session drops the flushed final on stop",
        "dictation/session.py",
        "            self._emit_all([last] if last is not None else [])\n",
        "            self._emit_all([])\n",
        ("tests/dictation/test_clip_end.py",)),
    Mutation(
        "preread-not-stopped", "background pre-read: holding it does not stop the worker",
        "app/reading/background_preread.py",
        "            if stop is not None:\n                os.kill(proc.pid, stop)\n",
        "            pass\n",
        ("tests/app/test_background_preread.py::test_a_stopped_worker_ends_with_its_station",)),
    Mutation(
        "preread-normal-priority", "background pre-read: the worker at normal priority",
        "app/reading/preread_worker.py", "LOWEST_PRIORITY = 19\n", "LOWEST_PRIORITY = 0\n",
        ("tests/app/test_background_preread.py::"
         "test_prefetched_studies_are_pre_read_in_the_background_and_reused_on_open",)),
    Mutation(
        "preread-queue-last-first", "background pre-read: the queue read from its end",
        "app/reading/background_preread.py", "uid, path = self._queue.pop(0)",
        "uid, path = self._queue.pop()",
        ("tests/app/test_background_preread.py::"
         "test_the_queue_reads_in_order_and_a_stopped_setting_stops_it",)),
    Mutation(
        "stored-any-version", "reuse on open: a stored result of any model version is shown",
        "app/panels/ai_files.py", "store.ai_results_of(study_uid, model_version)",
        "store.ai_results_of(study_uid)",
        ("tests/app/test_background_preread.py::"
         "test_a_stored_seg_from_elsewhere_is_reused_and_another_version_is_not",)),
    Mutation(
        "ungraded-as-ct2", "triage: a study not graded yet sorts with CT-2 again",
        "records/worklist.py", "UNGRADED_RANK = 2.5", "UNGRADED_RANK = 2",
        ("tests/records/test_worklist.py",)),
)


def _copy_tree(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
        check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if not src.is_file():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


def _pytest(tree: Path, tests: tuple[str, ...], shared: Path) -> tuple[int, float, str]:
    env = {**os.environ, "CI": "true", "LUCH_SHARED_DATA": str(shared),
           "QT_QPA_PLATFORM": "offscreen", "VTK_DEFAULT_OPENGL_WINDOW": "vtkEGLRenderWindow",
           "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                          *tests], cwd=tree, env=env, capture_output=True, text=True)
    return run.returncode, time.perf_counter() - started, run.stdout[-2000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated mutation ids")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.only or m.id in args.only.split(",")]
    if args.list:
        for m in chosen:
            print(f"{m.id:28s} {m.path:50s} {m.promise}")
        return 0
    shared = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data")).resolve()
    with tempfile.TemporaryDirectory(prefix="luch-mutants-") as tmp:
        tree = Path(tmp) / "tree"
        _copy_tree(tree)
        tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        rc, seconds, out = _pytest(tree, tests, shared)
        print(f"baseline: {len(tests)} test targets, rc {rc}, {seconds:.0f} s", flush=True)
        if rc != 0:
            print(out)
            print("the unmutated tree fails its tests: fix that first")
            return 2
        rows = []
        for m in chosen:
            path = tree / m.path
            original = path.read_text(encoding="utf-8")
            if original.count(m.old) != 1:
                rows.append((m, "stale", 0.0))
                print(f"{m.id}: stale (snippet found {original.count(m.old)} times)", flush=True)
                continue
            path.write_text(original.replace(m.old, m.new), encoding="utf-8")
            try:
                rc, seconds, out = _pytest(tree, m.tests, shared)
            finally:
                path.write_text(original, encoding="utf-8")
            verdict = "killed" if rc not in (0, 5) else "SURVIVED"
            rows.append((m, verdict, seconds))
            print(f"{m.id}: {verdict} ({seconds:.0f} s)", flush=True)
    killed = sum(v == "killed" for _, v, _ in rows)
    print(f"\n{killed}/{len(rows)} killed")
    if args.markdown:
        print("\n| mutation | promise | file | tests | result |\n|---|---|---|---|---|")
        for m, verdict, seconds in rows:
            tests = ", ".join(f"`{t.removeprefix('tests/')}`" for t in m.tests)
            print(f"| `{m.id}` | {m.promise} | `{m.path}` | {tests} | "
                  f"{verdict} ({seconds:.0f} s) |")
    return 0 if killed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
