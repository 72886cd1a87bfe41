"""Person names as shown on screen."""

from core.names import person_name


def test_pn_components_are_joined_as_read() -> None:
    assert person_name("IVANOV^PETR^SERGEEVICH") == "IVANOV PETR SERGEEVICH"
    assert person_name("Ivanov^Petr^^^") == "Ivanov Petr"
    assert person_name("Yamada^Tarou=山田^太郎=やまだ^たろう") == "Yamada Tarou"
    assert person_name("  LIDC-IDRI-0001 ") == "LIDC-IDRI-0001"
    assert person_name("") == ""


def test_dicom_dates_read_day_first() -> None:
    from core.names import dicom_date

    assert dicom_date("20201117") == "17.11.2020"
    assert dicom_date(" 19000925 ") == "25.09.1900"
    assert dicom_date("2020") == "2020" and dicom_date("") == ""
