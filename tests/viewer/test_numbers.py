"""Numbers on the images: the interface's decimal separator, and no sign on a zero."""

from viewer.numbers import decimal


def test_a_value_that_rounds_to_zero_has_no_minus_sign(qapp):
    assert decimal(-0.0) == "0.0"
    assert decimal(-0.04) == "0.0"
    assert decimal(-0.004, 2) == "0.00"


def test_negative_and_positive_values_keep_their_places(qapp):
    assert decimal(-204.0) == "-204.0"
    assert decimal(-0.06) == "-0.1"
    assert decimal(12.346, 2) == "12.35"
    assert decimal(3) == "3.0"
