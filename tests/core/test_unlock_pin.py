"""The idle lock's PIN: hashing, the keyring round trip, throttling."""

from __future__ import annotations

import pytest

from core import unlock_pin
from core.unlock_pin import PinError, Throttle, hash_pin, verify_pin


def test_hash_is_salted_and_verifies_only_the_right_pin():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b  # salted
    assert "2468" not in a
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a)
    assert not verify_pin("2468", "garbage") and not verify_pin("2468", "md5$x$y$z$a$b")


@pytest.mark.parametrize("pin", ["", "123", "    "])
def test_short_pins_are_refused(pin):
    with pytest.raises(PinError, match="at least"):
        hash_pin(pin)


def test_keyring_round_trip_keeps_only_a_hash(memory_keyring):
    assert unlock_pin.load_pin_hash("dr.ivanova") is None
    unlock_pin.save_pin("dr.ivanova", "13579")
    stored = unlock_pin.load_pin_hash("dr.ivanova")
    assert stored and "13579" not in str(memory_keyring.passwords)
    assert verify_pin("13579", stored)
    assert unlock_pin.load_pin_hash("dr.petrov") is None  # per reader
    unlock_pin.save_pin("dr.ivanova", None)
    unlock_pin.save_pin("dr.ivanova", None)  # removing twice is fine
    assert unlock_pin.load_pin_hash("dr.ivanova") is None


def test_a_failing_keyring_is_a_clear_error(failing_keyring):
    with pytest.raises(PinError, match="keyring"):
        unlock_pin.save_pin("dr.ivanova", "13579")
    with pytest.raises(PinError, match="keyring"):
        unlock_pin.load_pin_hash("dr.ivanova")


def test_throttle_waits_after_the_free_attempts_and_doubles():
    now = [100.0]
    throttle = Throttle(clock=lambda: now[0])
    for _ in range(unlock_pin.FREE_ATTEMPTS - 1):
        throttle.failed()
        assert throttle.wait_s() == 0
    throttle.failed()
    assert throttle.wait_s() == unlock_pin.FIRST_WAIT_S
    now[0] += unlock_pin.FIRST_WAIT_S
    assert throttle.wait_s() == 0
    throttle.failed()
    assert throttle.wait_s() == 2 * unlock_pin.FIRST_WAIT_S
    for _ in range(10):
        throttle.failed()
    assert throttle.wait_s() == unlock_pin.MAX_WAIT_S
    throttle.succeeded()
    assert throttle.wait_s() == 0 and throttle.failures == 0
