"""The CT-0..CT-4 boundaries, pinned."""

import pytest

from inference.grading import grade_of


@pytest.mark.parametrize(("percent", "grade"), [
    (0.0, "CT-0"), (0.01, "CT-1"), (25.0, "CT-1"), (25.01, "CT-2"), (50.0, "CT-2"),
    (50.01, "CT-3"), (74.99, "CT-3"), (75.0, "CT-4"), (100.0, "CT-4"),
])
def test_grade_boundaries(percent, grade):
    assert grade_of(percent) == grade


@pytest.mark.parametrize("bad", [-0.1, float("nan")])
def test_grade_rejects_non_percentages(bad):
    with pytest.raises(ValueError):
        grade_of(bad)
