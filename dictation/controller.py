"""Voice controller: dictation microphone buttons, foot pedals and keyboard -> actions.

Devices are described in ``resources/dictation/controllers.yaml`` (button bit layouts and
default mappings; sources noted there). :class:`ReportDecoder` turns raw HID input reports
into pressed-button sets; :class:`VoiceController` turns button presses and releases into
actions such as ``record_start``/``record_stop`` (push-to-talk or toggle), ``next_field``,
``play``, ``rewind``, ``insert_template``. Readers: :class:`HidReader` (hidapi) and, on
Linux, :class:`EvdevReader` as the fallback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.paths import RESOURCES
from dictation.errors import DictationError

log = logging.getLogger(__name__)

CONTROLLERS_FILE = RESOURCES / "dictation" / "controllers.yaml"
ACTIONS = (
    "record",
    "next_field",
    "previous_field",
    "play",
    "rewind",
    "fast_forward",
    "insert_template",
    "accept_ai_values",
    "sign_report",
    "stop_dictation",
)
RECORD_MODES = ("push_to_talk", "toggle")


@lru_cache(maxsize=2)
def load_table(path: Path = CONTROLLERS_FILE) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DictationError(f"cannot read the controller table {path}: {err}") from err


@dataclass(frozen=True)
class DeviceProfile:
    """One device model: ids, report length and where each button's bit is."""

    name: str
    title: str
    vendor_ids: tuple[int, ...]
    product_ids: tuple[int, ...]
    report_length: int
    buttons: Mapping[str, tuple[int, int]]  # button -> (byte index, bit mask)
    mapping: Mapping[str, str]  # button -> action (defaults)

    def matches(self, vendor_id: int, product_id: int) -> bool:
        return vendor_id in self.vendor_ids and (
            not self.product_ids or product_id in self.product_ids
        )


def device_profiles() -> dict[str, DeviceProfile]:
    out = {}
    for name, d in load_table()["devices"].items():
        out[name] = DeviceProfile(
            name,
            d["title"],
            tuple(d["vendor_ids"]),
            tuple(d.get("product_ids") or ()),
            int(d["report_length"]),
            {b: (int(v[0]), int(v[1])) for b, v in d["buttons"].items()},
            dict(d.get("mapping") or {}),
        )
    return out


def profile_for(vendor_id: int, product_id: int) -> DeviceProfile | None:
    return next((p for p in device_profiles().values() if p.matches(vendor_id, product_id)), None)


class ReportDecoder:
    """Raw input reports of one device -> the set of buttons held down."""

    def __init__(self, profile: DeviceProfile) -> None:
        self.profile = profile

    def pressed(self, report: bytes | Iterable[int]) -> frozenset[str]:
        data = bytes(report)
        if len(data) == self.profile.report_length + 1:
            data = data[1:]  # a numbered report: drop the report ID
        if len(data) < self.profile.report_length:
            return frozenset()  # a status or short report carries no button state
        return frozenset(b for b, (i, mask) in self.profile.buttons.items() if data[i] & mask)


@dataclass(frozen=True)
class ButtonEvent:
    button: str
    pressed: bool
    source: str = ""


def button_events(
    before: frozenset[str], after: frozenset[str], source: str = ""
) -> list[ButtonEvent]:
    """Presses and releases between two button states (releases first)."""
    return [ButtonEvent(b, False, source) for b in sorted(before - after)] + [
        ButtonEvent(b, True, source) for b in sorted(after - before)
    ]


@dataclass
class ControllerMapping:
    """Which action each button and key triggers, and how the record button behaves."""

    buttons: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    record_mode: str = "push_to_talk"

    @classmethod
    def defaults(cls, profile: DeviceProfile | None = None) -> ControllerMapping:
        table = load_table()
        buttons = dict(profile.mapping) if profile else {}
        if profile is None:
            for p in device_profiles().values():
                for b, a in p.mapping.items():
                    buttons.setdefault(b, a)
        return cls(
            buttons, dict(table.get("keyboard") or {}), table.get("record_mode", "push_to_talk")
        )

    @classmethod
    def from_settings(
        cls, value: Mapping | None, profile: DeviceProfile | None = None
    ) -> ControllerMapping:
        """Defaults overlaid with the user's ``dictation.controller.mapping`` setting."""
        mapping = cls.defaults(profile)
        value = value or {}
        mapping.buttons.update(value.get("buttons") or {})
        mapping.keys.update(value.get("keys") or {})
        mapping.record_mode = value.get("record_mode", mapping.record_mode)
        mapping.validate()
        return mapping

    def validate(self) -> None:
        if self.record_mode not in RECORD_MODES:
            raise DictationError(
                f"record mode must be one of {', '.join(RECORD_MODES)}, not {self.record_mode!r}"
            )
        bad = sorted({a for a in [*self.buttons.values(), *self.keys.values()] if a not in ACTIONS})
        if bad:
            raise DictationError(
                f"unknown controller actions: {', '.join(bad)}; choose from {', '.join(ACTIONS)}"
            )

    def as_settings(self) -> dict:
        return {"buttons": self.buttons, "keys": self.keys, "record_mode": self.record_mode}


class VoiceController:
    """Button and key events -> actions for the app (``record_start``, ``next_field``...)."""

    def __init__(self, mapping: ControllerMapping, on_action: Callable[[str], None]) -> None:
        self.mapping = mapping
        self.on_action = on_action
        self.recording = False
        self._lock = threading.Lock()

    def button(self, event: ButtonEvent) -> None:
        action = self.mapping.buttons.get(event.button)
        if action:
            self._act(action, event.pressed)

    def key(self, key: str, pressed: bool = True) -> None:
        action = self.mapping.keys.get(key)
        if action:
            self._act(action, pressed)

    def _act(self, action: str, pressed: bool) -> None:
        with self._lock:
            if action == "record":
                if self.mapping.record_mode == "push_to_talk":
                    if pressed != self.recording:
                        self.recording = pressed
                        out = "record_start" if pressed else "record_stop"
                    else:
                        return
                elif pressed:
                    self.recording = not self.recording
                    out = "record_start" if self.recording else "record_stop"
                else:
                    return
            elif pressed:
                out = action
            else:
                return
        self.on_action(out)


class HidReader:
    """Reads one HID dictation device with hidapi on a thread; reconnects after unplugging."""

    def __init__(
        self,
        on_event: Callable[[ButtonEvent], None],
        on_status: Callable[[str], None] | None = None,
    ) -> None:
        self.on_event = on_event
        self.on_status = on_status or (lambda message: None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def find() -> list[tuple[DeviceProfile, dict]]:
        """Known devices that hidapi can see, with their enumeration info."""
        # deferred: optional: only on stations with a USB hand controller
        import hid

        found = []
        for info in hid.enumerate():
            profile = profile_for(info["vendor_id"], info["product_id"])
            if profile is not None:
                found.append((profile, info))
        return found

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="luch-hid", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def _run(self) -> None:
        # deferred: optional: only on stations with a USB hand controller
        import hid

        while not self._stop.is_set():
            devices = self.find()
            if not devices:
                self._stop.wait(2.0)
                continue
            profile, info = devices[0]
            device = hid.device()
            try:
                device.open_path(info["path"])
                device.set_nonblocking(False)
                self.on_status(f"{profile.title} connected")
                self._read(device, ReportDecoder(profile), profile.name)
            except OSError as err:
                log.info("HID device %s: %s", profile.title, err)
                self.on_status(f"{profile.title} disconnected; waiting for it to come back")
                self._stop.wait(1.0)
            finally:
                device.close()

    def _read(self, device, decoder: ReportDecoder, source: str) -> None:
        state: frozenset[str] = frozenset()
        while not self._stop.is_set():
            report = device.read(64, 200)
            if not report:
                continue
            now = decoder.pressed(report)
            for event in button_events(state, now, source):
                self.on_event(event)
            state = now


class EvdevReader:
    """Linux fallback: buttons of dictation devices and pedals as input events."""

    def __init__(self, on_event: Callable[[ButtonEvent], None]) -> None:
        self.on_event = on_event
        self.codes = dict(load_table().get("evdev") or {})

    def button_for(self, code_name: str | list[str]) -> str | None:
        names = code_name if isinstance(code_name, list) else [code_name]
        return next((self.codes[n] for n in names if n in self.codes), None)

    def find(self) -> list:
        # deferred: optional: only on stations with a USB hand controller
        import evdev

        devices = []
        for path in evdev.list_devices():
            dev = evdev.InputDevice(path)
            if profile_for(dev.info.vendor, dev.info.product) is not None:
                devices.append(dev)
            else:
                dev.close()
        return devices

    def run(self, device, stop: threading.Event) -> None:
        """Forward key events of ``device`` until ``stop`` is set (blocking)."""
        # deferred: optional: only on stations with a USB hand controller
        import evdev

        for event in device.read_loop():
            if stop.is_set():
                return
            if event.type != evdev.ecodes.EV_KEY or event.value == 2:  # 2 = autorepeat
                continue
            button = self.button_for(evdev.ecodes.bytype[evdev.ecodes.EV_KEY][event.code])
            if button:
                self.on_event(ButtonEvent(button, bool(event.value), device.name))
