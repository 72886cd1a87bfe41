"""HID report decoding and button -> action mapping.

The report bytes below follow the layouts in resources/dictation/controllers.yaml (from the
third-party sources named there; no device was available to record from here). Each
is written as hidapi returns it: payload first, or with a leading report ID of 0.
"""

from __future__ import annotations

import pytest

from dictation.controller import (
    ButtonEvent,
    ControllerMapping,
    EvdevReader,
    HidReader,
    ReportDecoder,
    VoiceController,
    button_events,
    device_profiles,
    profile_for,
)
from dictation.errors import DictationError

# PowerMic II, 3-byte payload: [0] unused, [1] buttons low, [2] buttons high.
POWERMIC_IDLE = bytes([0x00, 0x00, 0x00])
POWERMIC_RECORD = bytes([0x00, 0x04, 0x00])
POWERMIC_RECORD_AND_FORWARD = bytes([0x00, 0x0C, 0x00])
POWERMIC_CHECKMARK = bytes([0x00, 0x00, 0x01])
POWERMIC_RIGHT_WITH_REPORT_ID = bytes([0x00, 0x00, 0x00, 0x02])
# SpeechMike vendor report, 9-byte payload: [7] F-keys, [8] record/transport keys.
SPEECHMIKE_RECORD = bytes([0, 0, 0, 0, 0, 0, 0, 0x00, 0x01])
SPEECHMIKE_F2_EOL = bytes([0, 0, 0, 0, 0, 0, 0, 0x04, 0x20])
# VEC pedal, 2-byte payload, one bit per pedal.
PEDAL_MIDDLE = bytes([0x02, 0x00])


def _decoder(name: str) -> ReportDecoder:
    return ReportDecoder(device_profiles()[name])


def test_profiles_by_usb_ids():
    assert profile_for(0x0554, 0x1001).name == "powermic"
    assert profile_for(0x0911, 0x0C1C).name == "speechmike"  # any SpeechMike product
    assert profile_for(0x05F3, 0x00FF).name == "vec_pedal"
    assert profile_for(0x046D, 0xC52B) is None  # a mouse receiver


@pytest.mark.parametrize(
    ("device", "report", "pressed"),
    [
        ("powermic", POWERMIC_IDLE, set()),
        ("powermic", POWERMIC_RECORD, {"record"}),
        ("powermic", POWERMIC_RECORD_AND_FORWARD, {"record", "skip_forward"}),
        ("powermic", POWERMIC_CHECKMARK, {"checkmark"}),
        ("powermic", POWERMIC_RIGHT_WITH_REPORT_ID, {"right"}),
        ("powermic", bytes([0x00]), set()),  # short status report
        ("speechmike", SPEECHMIKE_RECORD, {"record"}),
        ("speechmike", SPEECHMIKE_F2_EOL, {"f2", "eol"}),
        ("speechmike", bytes([0x00]) + SPEECHMIKE_RECORD, {"record"}),
        ("vec_pedal", PEDAL_MIDDLE, {"pedal_middle"}),
    ],
)
def test_report_decoding(device, report, pressed):
    assert _decoder(device).pressed(report) == pressed


def test_button_events_from_state_changes():
    dec = _decoder("powermic")
    a, b = dec.pressed(POWERMIC_RECORD), dec.pressed(POWERMIC_RECORD_AND_FORWARD)
    assert button_events(frozenset(), a) == [ButtonEvent("record", True)]
    assert button_events(a, b) == [ButtonEvent("skip_forward", True)]
    assert button_events(b, frozenset()) == [
        ButtonEvent("record", False),
        ButtonEvent("skip_forward", False),
    ]


def _controller(**settings) -> tuple[VoiceController, list[str]]:
    actions: list[str] = []
    mapping = ControllerMapping.from_settings(settings, device_profiles()["powermic"])
    return VoiceController(mapping, actions.append), actions


def test_push_to_talk_records_while_held():
    ctl, actions = _controller()
    ctl.button(ButtonEvent("record", True))
    ctl.button(ButtonEvent("skip_forward", True))
    ctl.button(ButtonEvent("skip_forward", False))
    ctl.button(ButtonEvent("record", False))
    assert actions == ["record_start", "next_field", "record_stop"]


def test_toggle_mode_and_user_remapping():
    ctl, actions = _controller(record_mode="toggle", buttons={"left": "sign_report"})
    for pressed in (True, False, True, False):
        ctl.button(ButtonEvent("record", pressed))
    ctl.button(ButtonEvent("left", True))
    assert actions == ["record_start", "record_stop", "sign_report"]


def test_keyboard_and_pedal_share_the_controller():
    actions: list[str] = []
    ctl = VoiceController(ControllerMapping.defaults(), actions.append)
    ctl.key("F6")
    ctl.key("F4", True)
    ctl.key("F4", False)
    ctl.button(ButtonEvent("pedal_left", True))
    assert actions == ["next_field", "record_start", "record_stop", "rewind"]


def test_bad_mapping_is_explained():
    with pytest.raises(DictationError, match="unknown controller actions: fly"):
        ControllerMapping.from_settings({"buttons": {"record": "fly"}})
    with pytest.raises(DictationError, match="record mode"):
        ControllerMapping.from_settings({"record_mode": "hold"})


def test_mapping_round_trips_through_settings(luch_home):
    from core.settings import Settings

    s = Settings()
    m = ControllerMapping.from_settings({"record_mode": "toggle"})
    s.set("dictation.controller.mapping", m.as_settings())
    again = ControllerMapping.from_settings(Settings().get("dictation.controller.mapping"))
    assert again == m


class _HidDevice:
    """Below the hidapi seam: replays recorded reports, then unplugs."""

    def __init__(self, reports):
        self.reports = list(reports)

    def read(self, size, timeout):
        if not self.reports:
            raise OSError("read error (device disconnected)")
        return list(self.reports.pop(0))


def test_hid_reader_turns_reports_into_presses_and_releases():
    events: list[ButtonEvent] = []
    reader = HidReader(events.append)
    with pytest.raises(OSError):
        reader._read(
            _HidDevice([POWERMIC_RECORD, POWERMIC_RECORD, b"", POWERMIC_IDLE]),
            _decoder("powermic"),
            "powermic",
        )
    assert events == [
        ButtonEvent("record", True, "powermic"),
        ButtonEvent("record", False, "powermic"),
    ]


def test_real_hidapi_and_evdev_enumerate_without_devices():
    assert isinstance(HidReader.find(), list)  # hidapi itself, no device on this machine
    reader = EvdevReader(lambda e: None)
    assert reader.button_for("KEY_RECORD") == "record"
    assert reader.button_for(["BTN_1", "BTN_JOYSTICK"]) == "pedal_middle"
    assert reader.button_for("KEY_A") is None
    assert isinstance(reader.find(), list)
