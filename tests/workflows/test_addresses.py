"""Address parsing and resolution: typed forms, similar streets, ambiguity, mentions in posts, ranges."""

from __future__ import annotations

import pytest

from workflows.addresses import AddressIndex, BuildingRecord, format_address, load_tambov_streets

EXTRA = [
    ("ул.", "Мичурина", "45", ""), ("пер.", "Советский", "45", ""), ("ул.", "Пушкина", "10", ""),
    ("пр-т", "Мира", "12а", ""), ("ул.", "Мичуринская", "112а", ""), ("ул.", "Мичуринская", "112", "2"),
    ("ул.", "Мичуринская", "150", "2"), ("ул.", "Советская", "5/2", ""), ("ул.", "Лесная", "130", "1"),
    ("ул.", "Лесная", "130", "2"),
]


def _registry() -> list[BuildingRecord]:
    records = [
        BuildingRecord(n * 120 + h, row.street_type, row.street, str(h), district=row.district)
        for n, row in enumerate(load_tambov_streets())
        for h in range(1, 121)
    ]
    start = len(records) + 1
    records += [BuildingRecord(start + i, t, s, h, korpus=k) for i, (t, s, h, k) in enumerate(EXTRA)]
    return records


@pytest.fixture(scope="module")
def index() -> AddressIndex:
    return AddressIndex(_registry())


def _address(index: AddressIndex, building_id: int | None) -> str | None:
    return format_address(index.records[building_id]) if building_id is not None else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ул. Советская, д. 45", "ул. Советская, д. 45"),
        ("Советская 45", "ул. Советская, д. 45"),
        ("на Советской 45 кв 12", "ул. Советская, д. 45"),
        ("пр-т Мира 12а", "пр-т Мира, д. 12а"),
        ("Мичуринская 112 к2", "ул. Мичуринская, д. 112 к. 2"),
        ("СОВЕТСКАЯ д.45", "ул. Советская, д. 45"),
        ("ул. Мира, 12", "ул. Мира, д. 12"),
        ("Мичуринская ул., 112а", "ул. Мичуринская, д. 112а"),
        ("К.Маркса 5", "ул. Карла Маркса, д. 5"),
        ("Н. Вирты 3", "ул. Николая Вирты, д. 3"),
        ("ул. Николая Вирты, дом 3", "ул. Николая Вирты, д. 3"),
        ("Советская 5/2", "ул. Советская, д. 5/2"),
        ("Мичуринская 150к2", "ул. Мичуринская, д. 150 к. 2"),
        ("Моршанское шоссе 7", "ш. Моршанское, д. 7"),
        ("бульвар Энтузиастов 4", "б-р Энтузиастов, д. 4"),
        ("на Интернациональной, 12", "ул. Интернациональная, д. 12"),
        ("Державинска 11", "ул. Державинская, д. 11"),
        ("Студенецкая 1ё8".replace("ё", ""), "ул. Студенецкая, д. 18"),
    ],
)
def test_resolve_typed_address_forms(index: AddressIndex, text: str, expected: str) -> None:
    resolution = index.resolve(text)
    assert _address(index, resolution.building_id) == expected
    assert resolution.confidence >= 0.75


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мичуринская 45", "ул. Мичуринская, д. 45"),
        ("Мичурина 45", "ул. Мичурина, д. 45"),
        ("Советская 45", "ул. Советская, д. 45"),
        ("Советский пер. 45", "пер. Советский, д. 45"),
        ("в Советском переулке 45", "пер. Советский, д. 45"),
        ("Пушкина 10", "ул. Пушкина, д. 10"),
        ("Пушкинская 10", "ул. Пушкинская, д. 10"),
    ],
)
def test_similar_streets_are_told_apart(index: AddressIndex, text: str, expected: str) -> None:
    assert _address(index, index.resolve(text).building_id) == expected


def test_ambiguous_korpus_gives_candidates_not_a_guess(index: AddressIndex) -> None:
    resolution = index.resolve("Лесная 130")
    assert resolution.building_id is None
    assert {c.address for c in resolution.candidates[:2]} == {"ул. Лесная, д. 130 к. 1", "ул. Лесная, д. 130 к. 2"}


def test_street_shared_by_two_types_is_ambiguous(index: AddressIndex) -> None:
    resolution = index.resolve("Комсомольская 5")
    assert resolution.building_id is None
    assert {c.address for c in resolution.candidates[:2]} == {"ул. Комсомольская, д. 5", "пл. Комсомольская, д. 5"}
    assert index.resolve("пл. Комсомольская 5").building_id is not None


def test_missing_house_letter_is_offered_not_chosen(index: AddressIndex) -> None:
    resolution = index.resolve("Мира 12б")
    assert resolution.building_id is None
    assert resolution.candidates


def test_street_without_house_names_no_building(index: AddressIndex) -> None:
    resolution = index.resolve("Советская")
    assert resolution.building_id is None
    assert resolution.matched_text == "ул. Советская"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в доме 12 по Интернациональной третий день нет воды", "ул. Интернациональная, д. 12"),
        ("Мичуринская ул., 112а — течёт крыша", "ул. Мичуринская, д. 112а"),
        ("Опять на К.Маркса 5 не убирают мусор", "ул. Карла Маркса, д. 5"),
        ("Н. Вирты 3, подъезд 2, не работает лифт", "ул. Николая Вирты, д. 3"),
        ("дом номер 8 по Советской без света", "ул. Советская, д. 8"),
        ("150к2 на Мичуринской, нет воды", "ул. Мичуринская, д. 150 к. 2"),
        ("Советская 5/2 прорвало трубу", "ул. Советская, д. 5/2"),
        ("12 градусов в квартире на Пензенской 23", "ул. Пензенская, д. 23"),
        ("на советской 45 прорвало", "ул. Советская, д. 45"),
    ],
)
def test_find_address_in_post(index: AddressIndex, text: str, expected: str) -> None:
    assert _address(index, index.find_in_text(text).building_id) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Всем мира и добра!",
        "Рабочая неделя началась с отключения воды",
        "Коммунальная авария: 3 дня нет воды",
        "На Советской 3 дня нет воды",
        "в доме 12 нет отопления, кв 45",
        "Продам гараж на Мичуринской",
        "Советская власть тут ни при чём, 5 лет жду ремонт",
    ],
)
def test_no_building_invented_when_post_names_none(index: AddressIndex, text: str) -> None:
    assert index.find_in_text(text).building_id is None


def test_post_street_mention_is_reported_without_building(index: AddressIndex) -> None:
    resolution = index.find_in_text("На Советской опять прорвало трубу")
    assert resolution.building_id is None
    assert resolution.matched_text == "ул. Советская"


def test_search_partial_input_best_first(index: AddressIndex) -> None:
    found = index.search("совет 4", limit=5)
    assert found[0].address == "ул. Советская, д. 4"
    assert all("Советск" in c.address for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert index.search("мичур 112 к2")[0].address == "ул. Мичуринская, д. 112 к. 2"
    assert index.search("") == []


def _houses(index: AddressIndex, ids: list[int]) -> list[str]:
    return [format_address(index.records[i]).split(", ", 1)[1] for i in ids]


def test_expand_odd_range(index: AddressIndex) -> None:
    houses = _houses(index, index.expand_range("Советская 1–45, нечётные"))
    assert houses[0] == "д. 1" and houses[-1] == "д. 45"
    assert "д. 2" not in houses and "д. 47" not in houses
    assert len([h for h in houses if "/" not in h]) == 23


def test_expand_range_with_letter_end(index: AddressIndex) -> None:
    houses = _houses(index, index.expand_range("Мичуринская 100–112а"))
    assert houses[:2] == ["д. 100", "д. 101"]
    assert {"д. 112", "д. 112 к. 2", "д. 112а"} <= set(houses)
    assert "д. 113" not in houses


def test_expand_list_and_several_streets(index: AddressIndex) -> None:
    assert _houses(index, index.expand_range("Советская 10, 12, 14")) == ["д. 10", "д. 12", "д. 14"]
    ids = index.expand_range("Советская с 1 по 9 чётные, Мира 3-5")
    assert [format_address(index.records[i]) for i in ids][-1] == "ул. Мира, д. 5"
    assert len(ids) == 7


def test_format_address_canonical_form() -> None:
    record = BuildingRecord(1, "улица", "Советская", "45", korpus="2")
    assert format_address(record) == "ул. Советская, д. 45 к. 2"


def test_tambov_streets_ship_with_districts() -> None:
    streets = load_tambov_streets()
    assert len(streets) >= 110
    names = {s.street for s in streets}
    assert {"Советская", "Мичуринская", "Интернациональная", "Николая Вирты", "Энтузиастов"} <= names
    assert {s.district for s in streets} == {"Ленинский", "Октябрьский", "Советский"}


def test_index_of_100k_buildings_builds_and_resolves() -> None:
    records = [
        BuildingRecord(n * 200 + h, "ул.", f"{row.street}" if k == 0 else f"{k}-я {row.street}", str(h))
        for k in range(5)
        for n, row in enumerate(load_tambov_streets())
        for h in range(1, 201)
        if row.street_type == "ул."
    ]
    records = [BuildingRecord(i, r.street_type, r.street, r.house) for i, r in enumerate(records[:100_000])]
    index = AddressIndex(records)
    assert len(index.records) >= 90_000
    resolution = index.resolve("2-я Советская 17")
    assert resolution.building_id is not None
    assert format_address(index.records[resolution.building_id]) == "ул. 2-я Советская, д. 17"
