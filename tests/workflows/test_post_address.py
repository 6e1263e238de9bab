"""The address grammar of posts: what the post says is the address, with or without the registry."""

from __future__ import annotations

import pytest

from workflows.addresses import AddressIndex, BuildingRecord
from workflows.addresses.gazetteer import GazetteerRow, build_gazetteer
from workflows.addresses.latin import transliterate
from workflows.addresses.numerals import read_number
from workflows.addresses.post_address import PostAddressFinder, street_list_finder


@pytest.fixture(scope="module")
def finder() -> PostAddressFinder:
    return street_list_finder()


def _address(finder: PostAddressFinder, text: str) -> str | None:
    return finder.find(text).address


@pytest.mark.parametrize(("text", "address"), [
    ("пр-т Строителей 14 — нет света", "пр-т Строителей, д. 14"),
    ("на проспекте Победы, дом 3, течёт крыша", "пр-т Победы, д. 3"),
    ("пр-кт Мира 7 лифт стоит", "пр-т Мира, д. 7"),
    ("пр. Строителей 22", "пр-т Строителей, д. 22"),
    ("бульвар Энтузиастов 31 мусор", "б-р Энтузиастов, д. 31"),
    ("в Клубном переулке, дом 4 нет воды", "пер. Клубный, д. 4"),
    ("проезд Энергетиков 9: двор в грязи", "проезд Энергетиков, д. 9"),
    ("площадь Льва Толстого 2 — подъезд", "пл. Льва Толстого, д. 2"),
    ("Студенецкая наб., 18 — подвал затопило", "наб. Студенецкая, д. 18"),
    ("на 8 Марта 12 темно во дворе", "ул. 8 Марта, д. 12"),
    ("ул. 60-летия Октября, 5, трещина", "ул. 60-летия Октября, д. 5"),
    ("50 лет Октября 33 мусор не вывозят", "ул. 50 лет Октября, д. 33"),
])
def test_street_types_and_numbered_names(finder: PostAddressFinder, text: str, address: str) -> None:
    assert _address(finder, text) == address


@pytest.mark.parametrize(("text", "address"), [
    ("в 45-м доме на Советской нет газа", "ул. Советская, д. 45"),
    ("в сорок пятом доме на Советской холодно", "ул. Советская, д. 45"),
    ("дом 28 по Пушкина, течёт крыша", "ул. Пушкина, д. 28"),
    ("у дома 9 на Садовой яма", "ул. Садовая, д. 9"),
    ("на улице Луговой в доме 12 темно", "ул. Луговая, д. 12"),
    ("Гастелло 48а домофон", "ул. Гастелло, д. 48а"),
    ("Гастелло д. 5 к. 2 нет воды", "ул. Гастелло, д. 5 к. 2"),
    ("Мичуринская 150к2, лифт", "ул. Мичуринская, д. 150 к. 2"),
    ("дома 9 и 11 по Садовой без света", "ул. Садовая, д. 9, 11"),
    ("у нас на Советской 45 нет воды, а на Советской 47 есть", "ул. Советская, д. 45"),
    ("Советская45 нет воды", "ул. Советская, д. 45"),
    ("Советская ул 45 нет воды", "ул. Советская, д. 45"),
])
def test_house_numbers_in_any_order_and_form(finder: PostAddressFinder, text: str, address: str) -> None:
    assert _address(finder, text) == address


@pytest.mark.parametrize(("text", "address"), [
    ("на Интернационалке 15 прорвало трубу", "ул. Интернациональная, д. 15"),
    ("опять яма на Пролетарке", "ул. Пролетарская"),
    ("Kikvidze 71 net vody", "ул. Киквидзе, д. 71"),
    ("Sovetskaya 12 svet", "ул. Советская, д. 12"),
    ("Coвeтская 14 нет газа", "ул. Советская, д. 14"),  # Latin o, e inside a Cyrillic word
    ("Саветская 45 вода", "ул. Советская, д. 45"),  # a typo of a known street
    ("лифт стоит Мичуринская 112 кв 7", "ул. Мичуринская, д. 112"),
])
def test_colloquial_latin_and_broken_spellings(finder: PostAddressFinder, text: str, address: str) -> None:
    assert _address(finder, text) == address


def test_a_street_of_another_type_is_never_taken_for_the_one_written() -> None:
    registry = [BuildingRecord(1, "ул.", "Садовая", "7"), BuildingRecord(2, "ул.", "Мичуринская", "5")]
    finder = PostAddressFinder(registry, AddressIndex(registry), street_list=[])
    post = finder.find("переулок Садовый 7, нет света")
    assert (post.address, post.building_id, post.street_in_registry) == ("пер. Садовый, д. 7", None, False)
    post = finder.find("на улице Мичурина 5 течёт крыша")
    assert (post.address, post.building_id) == ("ул. Мичурина, д. 5", None)
    assert finder.find("Мичурина 5 течёт").address is None  # no type, unknown street: not guessed
    assert finder.find("ул. Садовая 7 нет света").building_id == 1


def test_building_only_when_the_registry_has_exactly_that_building() -> None:
    registry = [BuildingRecord(1, "ул.", "Советская", "45"), BuildingRecord(2, "ул.", "Советская", "45а"),
                BuildingRecord(3, "ул.", "Советская", "47", korpus="2")]
    finder = PostAddressFinder(registry, AddressIndex(registry))
    assert finder.find("Советская 45 нет воды").building_id == 1
    assert finder.find("Советская 45а нет воды").building_id == 2
    assert finder.find("Советская 45б нет воды").building_id is None
    assert finder.find("Советская 47 нет воды").building_id is None  # only корпус 2 exists
    assert finder.find("Советская 47 к. 2 нет воды").building_id == 3
    several = finder.find("дома 45 и 47 по Советской")
    assert several.building_id is None and several.address == "ул. Советская, д. 45, 47"
    unknown = finder.find("ул. Советская 46, лифт")
    assert unknown.address == "ул. Советская, д. 46" and unknown.building_id is None and unknown.street_in_registry


@pytest.mark.parametrize("text", [
    "с 8 марта 2024 нет воды", "Поздравляем всех с 8 Марта!", "батареи холодные 3 дня, 12 градусов",
    "в 10:00 12.07 отключат воду", "мира и добра всем", "детская площадка 5 лет не ремонтировалась",
])
def test_dates_quantities_and_common_words_are_no_address(finder: PostAddressFinder, text: str) -> None:
    assert _address(finder, text) is None


def test_a_street_the_lists_lack_is_taken_as_written_with_its_type(finder: PostAddressFinder) -> None:
    post = finder.find("в Заречном переулке, дом 3, прорвало трубу")
    assert (post.address, post.street_known) == ("пер. Заречный, д. 3", False)
    assert _address(finder, "на улице Рассветной 5 темно") == "ул. Рассветная, д. 5"


def test_the_street_list_is_data_and_can_be_extended() -> None:
    rows = [GazetteerRow("ул.", "Тамбовская Новая", ()), GazetteerRow("ул.", "Бастионная", ("Бастионка",))]
    gazetteer = build_gazetteer([], rows)
    assert gazetteer.find("ул", "Тамбовская Новая") is not None
    finder = PostAddressFinder(street_list=rows)
    assert finder.find("на Бастионке 3 нет света").address == "ул. Бастионная, д. 3"


def test_spans_mark_where_the_address_was_written(finder: PostAddressFinder) -> None:
    text = "Третий день без воды, ул. Гастелло, д. 5"
    start, stop = finder.find(text).spans[0]
    assert text[start:stop] == "ул. Гастелло, д. 5"


def test_number_words_and_transliteration() -> None:
    assert read_number(["сто", "шестнадцатом", "доме"], 0) == (116, 2)
    assert read_number(["двадцать", "первом"], 0) == (21, 2)
    assert read_number(["дом"], 0) is None
    assert transliterate("Kikvidze") == "киквидзе" and transliterate("Entuziastov") == "энтузиастов"
