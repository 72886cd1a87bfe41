"""The shipped pre-read on real chests without pneumonia, read as they are (issue 17).

Every lesion found on them is false, apart from the nodules and the tumour. The grades are
the measured ones, exactly (docs/model-card.md, "Real chests without pneumonia"): a change
that moves them must update the card. The false-lesion bounds are the measured values plus
a little; the goal (CT-0 and <= 0.2 % of lung) is not met on lidc-idri-0003 and popi.
"""

import numpy as np
import pytest

from inference.labels import CONSOLIDATION, GGO

# chest: (grade, false lesion % of lung at most, probability)
MEASURED = {
    "lidc-idri-0001": ("CT-0", 0.0, "low"),  # v2's training patient; its nodule set aside
    # 0.205 % with its nodule set aside (post 7: 0.406 %, post 5: 0.877 %, "high")
    "lidc-idri-0003": ("CT-1", 0.21, "medium"),
    # 3.025 % with its tumour set aside and its great vessels dropped (post 8: 5.453 %,
    # post 6: 5.756 %, post 5: 6.09), over 2 % burden; "high" until its basal bands were
    # left out of the probability (1.13 % of lung besides them)
    "popi-philips-phase00": ("CT-1", 3.1, "medium"),
}


@pytest.fixture(scope="module", params=sorted(MEASURED))
def chest(request, shared_data):
    import studies
    from inference.preread import PreReadOptions, analyze

    volume = studies.open_volume(shared_data / "ct" / request.param)
    return request.param, analyze(volume, PreReadOptions(engine="unet", device="cpu",
                                                         fallback=False))


def test_clean_real_chest_reads_as_measured(chest):
    name, result = chest
    grade, false_max, probability = MEASURED[name]
    labels = result.labels
    false = 100 * np.isin(labels, GGO + CONSOLIDATION).sum() / (labels > 0).sum()
    assert result.measures.grade == grade
    assert false <= false_max
    assert result.measures.probability == probability
    assert result.model_version.endswith("+post13")


# Solid foci set aside and named (sides). The POPI tumour (right, 23 mm round core) is
# named since post 7 as a round solid mass, beside 300 mL of false lesion; the
# lidc-idri-0003 spiculated nodule (left, 18.5 mm core, ground glass within 10 mm of it)
# since post 8, beside 12.6 mL of other false lesion (docs/model-card.md).
FOCI = {"lidc-idri-0001": ["left"], "lidc-idri-0003": ["left"],
        "popi-philips-phase00": ["right"]}


def test_solid_foci_named_as_measured(chest):
    name, result = chest
    assert [f.side for f in result.foci] == FOCI[name]
    flags = [f for f in result.measures.quality_flags if f.startswith("solid-focus-not-graded")]
    assert len(flags) == len(FOCI[name])
    if name == "popi-philips-phase00":  # the tumour: right upper lobe at the hilum level
        focus = result.foci[0]
        assert 15 <= focus.ml <= 20 and 20 <= focus.diameter_mm <= 26
    if name == "lidc-idri-0003":  # the spiculated nodule of the left upper lobe
        focus = result.foci[0]
        assert 11 <= focus.ml <= 14 and 17 <= focus.diameter_mm <= 20


def test_probability_is_high_only_with_burden(chest):
    _, result = chest
    f = result.measures.features
    if result.measures.probability == "high":
        assert f.lesions >= 2 and f.burden_percent >= 2.0


# Share of the false lesion in basal / dependent bands (left out of the probability): popi's
# two ground-glass bands on the diaphragm domes and posterior recesses (106 of 172 mL).
BANDS = {"lidc-idri-0001": (0.0, 0.0), "lidc-idri-0003": (0.0, 0.0),
         "popi-philips-phase00": (0.55, 0.7)}


def test_basal_bands_left_out_of_the_probability_as_measured(chest):
    name, result = chest
    f = result.measures.features
    low, high = BANDS[name]
    assert low <= f.band_share <= high
    if f.band_share:
        assert f.burden_percent >= 2.0 > f.outside_bands.burden_percent


def _lesion_components(result, spacing):
    from scipy import ndimage as ndi

    from inference.geometry import voxel_ml

    lesion = np.isin(result.labels, GGO + CONSOLIDATION)
    comps, n = ndi.label(lesion, structure=np.ones((3, 3, 3), bool))
    ml = np.bincount(comps.ravel(), minlength=n + 1) * voxel_ml(spacing)
    return lesion, comps, ml


def _keep_lesion(result, keep):
    """The chest's labels with every lesion voxel outside ``keep`` read as its lung."""
    from inference.labels import LEFT, RIGHT

    labels = result.labels.copy()
    drop = np.isin(labels, GGO + CONSOLIDATION) & ~keep
    right = np.isin(labels, RIGHT)
    labels[drop & right] = RIGHT[0]
    labels[drop & ~right] = LEFT[0]
    return labels


@pytest.mark.parametrize("chest", ["popi-philips-phase00"], indirect=True)  # the only one
def test_no_high_for_a_solitary_lesion_or_under_the_burden_on_real_false_lesion(chest,
                                                                                shared_data):
    """The burden caps of the COVID-19 probability, on a real chest's own false lesion
    (popi reads "high" at 5.8 %): the same lesion pattern with only its small components
    (under 2 % of lung) reads at most "medium", and one lesion component with the specks
    at most "low", although the distribution alone (no caps) says "high" in both."""
    from dataclasses import replace

    import studies
    from inference.geometry import Orientation
    from inference.measures import HIGH_MIN_PERCENT, LESION_MIN_ML, covid_probability, measure

    name, result = chest  # popi: its false lesion reads "high" by its distribution
    volume = studies.open_volume(shared_data / "ct" / name)
    orient = Orientation.of(volume)
    lesion, comps, ml = _lesion_components(result, volume.spacing)

    def read(keep):
        m = measure(_keep_lesion(result, keep), volume.spacing, orient)
        uncapped = covid_probability(replace(m.features, lesions=None, burden_percent=None,
                                             band_share=0.0, outside_bands=None), True)
        return m, uncapped

    small = read(np.isin(comps, np.nonzero(ml < 15.0)[0]) & lesion)
    m, uncapped = small
    assert uncapped == "high" and m.features.burden_percent < HIGH_MIN_PERCENT
    assert m.features.lesions >= 2 and m.probability == "medium"
    specks = np.isin(comps, np.nonzero(ml < LESION_MIN_ML)[0]) & lesion
    solitary = []
    for k in np.argsort(ml[1:])[::-1][:8] + 1:
        m, uncapped = read(specks | (comps == k))
        if uncapped == "high":
            solitary.append(m)
    assert solitary, "no single component of popi reads 'high' by distribution"
    for m in solitary:
        assert m.features.lesions == 1 and m.probability == "low"


def test_bowel_gas_is_not_lung_on_the_lung_bases_volume(shared_data):
    """``chest-abdomen-3mm`` holds the lung bases (about 120 mL) and the abdomen: the
    network calls two colon components (about 440 mL of gas with stool) lung. Since post 12
    they are not lung, so the volume is not assessable (under 400 mL of lung) rather than
    CT-1 on 550 mL of "lung" (docs/model-card.md, "Inference-time levers" 14)."""
    import studies
    from inference.grading import NOT_ASSESSABLE
    from inference.preread import PreReadOptions, analyze

    volume = studies.open_volume(shared_data / "ct" / "chest-abdomen-3mm.nii.gz")
    result = analyze(volume, PreReadOptions(engine="unet", device="cpu", fallback=False))
    lung_ml = (result.labels > 0).sum() * np.prod(volume.spacing) / 1000
    assert 100 <= lung_ml <= 160
    assert result.measures.grade == NOT_ASSESSABLE


def test_classical_lungs_and_simulated_truth_leave_the_colon_out(shared_data):
    """The classical lungs (the classical engine, the simulator's lung truth) drop gas
    components as the U-Net's post 12 does (h18): on ``chest-abdomen-3mm`` the truth was
    594 mL with two colon components (153 mL of lung without them), so the simulated cases
    4100-4104 put lesion into the colon, and the classical engine read CT-2 on 1,287 mL."""
    import studies
    from inference.grading import NOT_ASSESSABLE
    from inference.lungs import GAS_HU
    from inference.preread import PreReadOptions, analyze
    from inference.training import data as sim_data

    name = "ct/chest-abdomen-3mm.nii.gz"
    series = sim_data.load_series(shared_data, name)
    truth = series.right | series.left
    ml = np.prod(series.volume.spacing) / 1000
    assert 120 <= truth.sum() * ml <= 200
    air = truth & (series.volume.voxels < -400)
    assert (series.volume.voxels[air] < GAS_HU).mean() < 0.01  # no gas left in it
    result = analyze(studies.open_volume(shared_data / name),
                     PreReadOptions(engine="classical", device="cpu"))
    assert result.engine == "classical" and result.model_version == "1.3"
    assert (result.labels > 0).sum() * ml <= 600
    assert result.measures.grade == NOT_ASSESSABLE
