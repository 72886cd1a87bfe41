"""A reading day end to end: the real app (``main.py``) in an X window under Xvfb, driven
from outside by keys (xdotool, through XTEST as a keyboard), with real VTK rendering, real
audio (PulseAudio pipe source -> ALSA -> sounddevice) and the station's own speech engine.

The demo chest is read against its prior (a copy of it dated a year before, same patient and
frame of reference), a distance is measured, the additional text is dictated, the preview's
check sends the reader back (empty conclusion), the report is signed, an addendum with a
reason is signed, and the next study of the worklist (a shared real chest) opens; there the
reference lines follow the axial scroll on screen and the corner text sits on its dark box.
Screens are read from the X server (tests/app/x11_shot.py); the report versions from the
station's database."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.paths import DEMO_STUDY
from dictation.transcribe import read_audio
from tests.plugins.ci_guard import require

ROOT = Path(__file__).resolve().parents[2]
DIGITS = "100019021001803"  # ../shared/data/speech/digits-en-16k.wav, the digits said
REASON = "Digits checked against the request"
MAIN = "Luch — CT reading workstation"


class Station:
    """The app in the X server, and the keyboard, mouse and screen around it."""

    def __init__(self, display: str, home: Path, shots: Path) -> None:
        self.display, self.home, self.shots = display, home, shots
        self.env = {k: v for k, v in os.environ.items() if k != "VTK_DEFAULT_OPENGL_WINDOW"}
        self.env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", LUCH_HOME=str(home),
                        LUCH_LANG="en", PYTHONPATH=str(ROOT))
        self.app: subprocess.Popen | None = None
        self._log = None
        self.n = 0

    def start(self, *args: str) -> None:
        self._log = open(self.shots / "app.log", "wb")  # noqa: SIM115 - closed in stop()
        self.app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                                    env=self.env, stdout=self._log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.app is not None and self.app.poll() is None:
            self.app.send_signal(signal.SIGTERM)
            try:
                self.app.wait(20)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait(10)
        if self._log is not None:
            self._log.close()

    def log(self) -> str:
        return (self.shots / "app.log").read_text(errors="replace")[-3000:]

    def xdo(self, *args: str) -> str:
        assert self.app is not None and self.app.poll() is None, self.log()
        return subprocess.run(["xdotool", *args], env=self.env, check=True, text=True,
                              capture_output=True, timeout=30).stdout

    def focus(self, title: str) -> None:
        """Give the keyboard to the top-level window called ``title`` (with no window manager
        under Xvfb, nothing else does)."""
        found = self.xdo("search", "--name", f"^{re.escape(title)}$").split()
        assert found, f"no window {title!r}: {self.top_windows()}"
        self.xdo("windowfocus", "--sync", found[-1])
        time.sleep(0.2)

    def keys(self, *names: str, to: str = "") -> None:
        """Press keys in the window ``to`` (the main window by default)."""
        self.focus(to or MAIN)
        self.xdo("key", "--delay", "80", *names)
        time.sleep(0.3)

    def type(self, text: str, to: str = "") -> None:
        self.focus(to or MAIN)
        self.xdo("type", "--delay", "30", text)
        time.sleep(0.3)

    def shot(self, name: str) -> np.ndarray:
        """The whole screen (RGB), also kept as a PNG beside the test's files."""
        from PIL import Image

        self.n += 1
        path = self.shots / f"{self.n:02d}-{name}.png"
        subprocess.run([sys.executable, str(ROOT / "tests" / "app" / "x11_shot.py"), str(path)],
                       env=self.env, check=True, timeout=60)
        return np.asarray(Image.open(path).convert("RGB")).copy()

    def xwininfo(self, *args: str) -> str:
        """``xwininfo`` output; tried again when a window went away while it walked the
        tree (it then exits 1 with BadWindow: failed once so in a fresh-clone CI run)."""
        for _ in range(2):
            done = subprocess.run(["xwininfo", *args], env=self.env, text=True,
                                  capture_output=True, timeout=30)
            if done.returncode == 0:
                return done.stdout
            time.sleep(0.3)
        return subprocess.run(["xwininfo", *args], env=self.env, check=True, text=True,
                              capture_output=True, timeout=30).stdout

    def top_windows(self) -> list[str]:
        tree = self.xwininfo("-root", "-children")
        return re.findall(r'0x[0-9a-f]+ "([^"]*)": \(', tree)

    def views(self) -> list[tuple[int, int, int, int]]:
        """The image views on screen (x, y, width, height), left to right: the native VTK
        windows that have a slice scroll bar (14 px wide) beside them."""
        tree = self.xwininfo("-root", "-tree")
        rows = []
        for line in tree.splitlines():
            m = re.match(r"(\s*)0x[0-9a-f]+ .*?(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(-?\d+)\+(-?\d+)",
                         line)
            if m:
                rows.append((len(m.group(1)), *(int(g) for g in m.groups()[1:])))
        found = []
        for n, (depth, w, h, x, y) in enumerate(rows):
            siblings = [r for r in rows[max(0, n - 3):n + 4] if r[0] == depth and r != rows[n]]
            if w > 100 and h > 100 and any(s[1] == 14 and s[2] == h for s in siblings):
                found.append((x, y, w, h))
        return sorted(set(found))


def wait_for(check, timeout: float, what: str, station: Station, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert station.app.poll() is None, f"the app ended while waiting for {what}:\n" \
                                            + station.log()
        assert time.monotonic() < deadline, f"no {what} within {timeout} s:\n" + station.log()
        time.sleep(every)


def crop(rgb: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    x, y, w, h = rect
    return rgb[y:y + h, x:x + w]


def green_rows(rgb: np.ndarray) -> list[int]:
    """Rows crossed by a green reference line (over half the width)."""
    r, g, b = (rgb[..., n].astype(int) for n in range(3))
    rows = np.flatnonzero(((g > 100) & (g - r > 60) & (g - b > 60)).sum(axis=1)
                          > rgb.shape[1] * 0.5)
    return [int(v) for v in rows]


def make_prior(out: Path) -> None:
    """The demo chest as its own prior: the same patient and frame of reference, a year
    earlier, new study, series and instance UIDs (derived test data, not kept)."""
    import pydicom
    from pydicom.uid import generate_uid

    study, series = generate_uid(), generate_uid()
    out.mkdir(parents=True)
    for f in sorted(Path(DEMO_STUDY).glob("*.dcm")):
        ds = pydicom.dcmread(f)
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.StudyDate = ds.SeriesDate = "19990101"
        ds.save_as(out / f.name)


def prepare_station(home: Path, prior: Path, chest: Path) -> tuple[str, str]:
    """Settings, and the worklist a station would hold: the prior (reported a year ago), the
    demo and a shared real chest waiting to be read, in that order (the demo and the chest
    share their date and have no time: the worklist keeps them in the order they came).
    Returns the prior's and the chest's Study Instance UIDs."""
    import pydicom

    from records import open_store

    home.mkdir(parents=True)
    (home / "settings.json").write_text(json.dumps({
        "ai.autorun": False, "dictation.device": "pulse", "dictation.language": "en",
        "ui.language": "en", "report.language": "en"}))
    store = open_store()
    uids = []
    for path in (prior, Path(DEMO_STUDY), chest):
        ds = pydicom.dcmread(next(iter(sorted(path.rglob("*.dcm")))), stop_before_pixels=True)
        uid = str(ds.StudyInstanceUID)
        store.upsert_study(uid, patient_id=str(ds.PatientID), patient_name=str(ds.PatientName),
                           study_date=str(ds.StudyDate), modalities="CT",
                           local_path=str(path.resolve()))
        uids.append(uid)
    store.save_report(uids[0], author="dr.before", fields={"grade": "CT-0"},
                      text="CT grade: CT-0.", status="final", protocol="moscow-chest-ct-covid")
    return uids[0], uids[2]


@pytest.mark.xvfb
def test_a_reading_day_by_keyboard_in_a_real_x_window(xvfb_display, pulse_mic, shared_data,
                                                     tmp_path, monkeypatch):
    require(shutil.which("xdotool"), "xdotool", "Debian xdotool")
    require(shutil.which("xwininfo"), "xwininfo", "Debian x11-utils")
    home, shots = tmp_path / "home", tmp_path / "screens"
    shots.mkdir()
    monkeypatch.setenv("LUCH_HOME", str(home))
    chest = shared_data / "ct" / "lidc-idri-0001"
    prior = tmp_path / "prior"
    make_prior(prior)
    _prior_uid, chest_uid = prepare_station(home, prior, chest)
    from records import open_store

    store = open_store()

    def opened(uid: str) -> bool:
        return any(e.action == "opened" for e in store.audit_events(uid))

    station = Station(xvfb_display, home, shots)
    station.start("--demo")
    try:
        read_day(station, store, opened, chest_uid, shared_data, pulse_mic)
    finally:
        station.stop()


def read_day(station: Station, store, opened, chest_uid: str, shared_data: Path,
             pulse_mic) -> None:
    import pydicom

    demo_uid = str(pydicom.dcmread(next(iter(sorted(Path(DEMO_STUDY).glob("*.dcm")))),
                                   stop_before_pixels=True).StudyInstanceUID)
    wait_for(lambda: opened(demo_uid), 90, "demo study opened", station)
    views = wait_for(station.views, 30, "image views", station)
    x, y, w, h = views[0]
    station.xdo("mousemove", str(x + w // 2), str(y + h // 3))

    # Compare with the prior the station offers (Ctrl+P: the offer is made before the study's
    # "opened" audit row, which is what opened() waits for): both panes drawn.
    station.shot("demo")
    first_views = station.views()  # 1x2: axial and coronal of the current study
    station.keys("ctrl+p")

    def both_drawn():
        rects = station.views()
        if len(rects) != 2 or rects == first_views:  # 1x2 (axial, coronal) -> compare
            return None
        rgb = station.shot("compare")
        bright = [float((crop(rgb, r)[..., 0] > 60).mean()) for r in rects]
        return rects if min(bright) > 0.05 else None

    try:
        compare = wait_for(both_drawn, 10, "the prior beside the current study", station, 1)
    except AssertionError:  # pressed before the offer was made: again
        station.keys("ctrl+p")
        compare = wait_for(both_drawn, 30, "the prior beside the current study", station, 1)

    # Measure a distance on the current study: D, drag, Esc.
    x, y, w, h = compare[0]
    before = station.shot("before-measure")
    station.keys("d")
    y0 = y + h // 2
    station.xdo("mousemove", str(x + w // 4), str(y0))
    station.xdo("mousedown", "1")
    for step in range(1, 11):
        station.xdo("mousemove", str(x + w // 4 + step * w // 20), str(y0))
        time.sleep(0.05)
    station.xdo("mouseup", "1")
    time.sleep(0.5)
    station.keys("Escape")
    after = station.shot("measured")
    changed = np.abs(crop(after, compare[0]).astype(int)
                     - crop(before, compare[0]).astype(int)).sum(axis=2) > 60
    assert changed[h // 2 - 6:h // 2 + 7].sum() > w // 4, "no distance line drawn"

    # The report by keys: to the grade (the 9th field), pick CT-0, on to the additional text.
    station.keys("ctrl+Down", *["ctrl+Down"] * 8)
    station.keys("space", "Down", "space")  # opens the list, CT-0, picks it and moves on
    station.keys("ctrl+Down", "ctrl+Down", "ctrl+Down", "ctrl+Down")  # -> additional text
    # Dictate (F9) through the microphone; the draft (saved every 3 s) shows the words.
    speech = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    station.keys("F9")
    # Speak once the app's microphone stream is open (the engine loads first).
    wait_for(lambda: pulse_mic.pactl("list", "short", "source-outputs").strip(), 60,
             "the app's microphone open", station, 0.2)
    pulse_mic.play(speech)
    pulse_mic.play(np.zeros(24000, np.int16))
    assert pulse_mic.wait_played(30)
    draft = station.home / "drafts"

    def dictated(digits: int):
        def check() -> str | None:
            for f in draft.glob("*.json"):
                text = json.loads(f.read_text()).get("free_text", "")
                if len(re.findall(r"\d", text)) >= digits:
                    return text
            return None
        return check

    wait_for(dictated(10), 60, "dictated digits in the additional text", station)
    station.keys("F9")  # stop: the last utterance is recognised and written
    wait_for(dictated(13), 40, "all the dictated digits", station)

    # Sign: the preview's check (empty conclusion) sends the reader back with Enter.
    station.keys("ctrl+shift+s")
    wait_for(lambda: "Sign the report" in station.top_windows(), 20, "the preview", station)
    station.shot("preview-with-problem")
    station.keys("Return", to="Sign the report")
    wait_for(lambda: "Sign the report" not in station.top_windows(), 10, "back", station)
    assert store.reports_for_study(demo_uid) == [], "signed despite going back"
    # Back from "the conclusion is empty", the keyboard is in the conclusion.
    station.type("Solid nodule in the left lung, no signs of viral pneumonia.")
    station.keys("ctrl+shift+s")
    wait_for(lambda: "Sign the report" in station.top_windows(), 20, "the preview", station)
    station.shot("preview")
    station.keys("ctrl+shift+s", to="Sign the report")  # the sign key again: signed

    def versions() -> list:
        reports = store.reports_for_study(demo_uid)
        return store.report_versions(reports[-1].uid) if reports else []

    wait_for(versions, 20, "the signed report", station)

    # An addendum with its reason, signed as a new version.
    station.keys("ctrl+shift+d")
    wait_for(lambda: "Addendum to a signed report" in station.top_windows(), 20,
             "the reason dialog", station)
    station.type(REASON, to="Addendum to a signed report")
    station.keys("Return", to="Addendum to a signed report")
    time.sleep(0.5)
    station.keys("ctrl+End")
    station.type(" Follow-up CT in 3 months.")
    station.keys("ctrl+shift+s")
    wait_for(lambda: "Sign the addendum" in station.top_windows(), 20, "the preview", station)
    station.keys("Return", to="Sign the addendum")
    wait_for(lambda: len(versions()) == 2, 20, "the addendum", station)
    final, amended = versions()
    assert (final.status.value, amended.status.value) == ("final", "amended")
    assert final.fields["grade"] == "CT-0"
    assert final.fields["conclusion"].startswith("Solid nodule in the left lung")
    heard = "".join(re.findall(r"\d", final.fields["_free_text"]))
    from dictation.wer import word_error_rate

    assert word_error_rate(" ".join(DIGITS), " ".join(heard)) <= 0.2, final.fields
    assert amended.fields["conclusion"].endswith("Follow-up CT in 3 months.")
    assert f"Addendum: {REASON}" in amended.text and "Addendum" not in final.text

    # The next study of the worklist (Ctrl+N): the shared chest. MPR by key, scroll up.
    station.keys("ctrl+n")
    wait_for(lambda: opened(chest_uid), 90, "the shared chest opened", station)
    station.keys("ctrl+3")
    # The old layout's views go once the new ones are up (seconds on a loaded box).
    wait_for(lambda: len(station.views()) == 3, 30, "the three MPR views", station)
    views = station.views()
    x, y, w, h = views[0]
    station.xdo("mousemove", str(x + w // 2), str(y + h // 3))
    time.sleep(0.5)
    first = station.shot("mpr")
    station.keys(*["Up"] * 10)
    time.sleep(1)
    second = station.shot("mpr-scrolled")
    lines = [(green_rows(crop(first, r)), green_rows(crop(second, r))) for r in views]
    assert all(a and b for a, b in lines), f"a view without its reference line: {lines}"
    moved = [min(a) - min(b) for a, b in lines]
    assert sorted(moved)[0] == 0 and sorted(moved)[1] > 5 and sorted(moved)[2] > 5, \
        f"the coronal and sagittal lines did not follow the axial scroll: {lines}"
    # The corner text on its dark box: legible over any image.
    for rect in views:
        corner = crop(second, rect)[-40:-2, 2:120].mean(axis=2)
        assert (corner < 80).mean() > 0.3 and (corner > 150).mean() > 0.01, rect
