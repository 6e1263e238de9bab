"""Post classifier: held-out metrics meet the goals, the `social classify` stream contract, bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from workflows.addresses import AddressIndex, BuildingRecord
from workflows.social import CATEGORIES, PostClassifier, classify_stream
from workflows.social.evaluate import evaluate, synthetic_registry
from workflows.social.rules import POST_KINDS
from workflows.social.train import DEFAULT_DATA, read_examples, train

OUTPUT_KEYS = {"id", "is_complaint", "category", "emergency", "address", "building_id", "confidence"}


@pytest.fixture(scope="module")
def classifier() -> PostClassifier:
    return PostClassifier.load()


@pytest.fixture(scope="module")
def registry() -> list[BuildingRecord]:
    return synthetic_registry()


@pytest.fixture(scope="module")
def index(registry: list[BuildingRecord]) -> AddressIndex:
    return AddressIndex(registry)


def test_labelled_posts_cover_every_kind_and_category_in_both_parts() -> None:
    posts = read_examples(DEFAULT_DATA, split=None)
    assert len(posts) >= 1000 and len({p["id"] for p in posts}) == len(posts)
    kinded = [p for p in posts if p.get("kind")]
    assert len([p for p in kinded if not str(p["id"]).startswith("p")]) >= 1000
    for split in ("train", "test"):
        part = [p for p in kinded if p["split"] == split]
        assert {p["kind"] for p in part} == set(POST_KINDS)
        assert {p["category"] for p in part if p["is_complaint"]} == set(CATEGORIES)
        assert all(sum(p["kind"] == kind for p in part) >= 14 for kind in POST_KINDS)
    test = [p for p in posts if p["split"] == "test"]
    assert sum(bool(p["street_in_registry"]) for p in test) >= 100
    assert sum(p["street_in_registry"] is False for p in test) >= 80


def test_held_out_posts_are_written_apart_from_the_training_posts() -> None:
    train_texts = {str(p["text"]).lower() for p in read_examples(DEFAULT_DATA, split="train")}
    test_texts = [str(p["text"]).lower() for p in read_examples(DEFAULT_DATA, split="test")]
    assert not [t for t in test_texts if t in train_texts]
    sys.path.insert(0, str(DEFAULT_DATA.parent))
    import heldout  # type: ignore[import-not-found]
    import kinds_train  # type: ignore[import-not-found]
    import phrases  # type: ignore[import-not-found]

    held_out = {p.lstrip("!") for ps in heldout.PROBLEMS_B.values() for p in ps}
    trained = {p.lstrip("!") for ps in [*phrases.PROBLEMS.values(), *kinds_train.PROBLEMS_EXTRA.values()] for p in ps}
    assert not held_out & trained
    assert not {t for ts in heldout.KINDS_B.values() for t in ts} & {t for ts in kinds_train.KINDS.values() for t in ts}
    assert not set(heldout.ADDRESS_FORMS_B) & set(kinds_train.ADDRESS_FORMS_TRAIN)


def test_held_out_metrics_meet_the_goals(classifier: PostClassifier, index: AddressIndex,
                                         registry: list[BuildingRecord]) -> None:
    figures = evaluate(classifier, index, read_examples(DEFAULT_DATA, split="test"), registry)
    assert figures["posts"] == 402
    assert figures["complaint_f1"] >= 0.96  # goal 0.95
    assert figures["category_accuracy"] >= 0.90  # goal 0.90; measured 0.908
    assert figures["address_accuracy_registry_street"] >= 0.90
    assert figures["address_accuracy_other_street"] >= 0.90
    assert figures["posts_with_registry_street"] >= 100 and figures["posts_with_other_street"] >= 80
    assert figures["addresses_where_none"] == 0
    assert figures["building_accuracy"] >= 0.90 and figures["posts_naming_building"] >= 40
    assert figures["invented_buildings"] == 0
    kinds = figures["kinds"]
    assert set(kinds) == set(POST_KINDS)
    assert kinds["complaint"]["precision"] >= 0.95 and kinds["complaint"]["recall"] >= 0.98
    assert kinds["lost_pet"] == {"precision": 1.0, "recall": 1.0, "posts": 14}
    assert all(k["precision"] >= 0.55 and k["recall"] >= 0.45 for k in kinds.values())


@pytest.mark.parametrize(("text", "kind"), [
    ("Пропал кот, рыжий, с белой грудкой, видели у гаражей. Вознаграждение", "lost_pet"),
    ("Продаю детскую кроватку, самовывоз, звоните", "ad"),
    ("Подскажите телефон диспетчерской водоканала", "phone_question"),
    ("Автобус 21 не приходит уже час, что случилось?", "transport"),
])
def test_a_post_that_is_not_a_complaint_says_what_it_is(classifier: PostClassifier, text: str, kind: str) -> None:
    result = classifier.analyse(text, None)
    assert (result.is_complaint, result.kind, result.category) == (False, kind, None)


def test_training_rebuilds_a_model_that_loads(tmp_path: Path) -> None:
    model = train(read_examples(DEFAULT_DATA))
    path = tmp_path / "model.json"
    model.save(path)
    reloaded = PostClassifier.load(path)
    result = reloaded.analyse("Третий день нет горячей воды, Советская 45", None)
    assert result.is_complaint and result.category == "hot_water" and result.emergency


@pytest.mark.parametrize(
    ("text", "category", "emergency"),
    [
        ("в подъезде сильно пахнет газом!", "gas", True),
        ("соседка застряла в лифте, диспетчер не отвечает", "elevator", True),
        ("лифт не работает уже неделю", "elevator", False),
        ("батареи еле тёплые, в квартире +18", "heating", False),
        ("в квитанции насчитали за отопление вдвое больше", "billing", False),
    ],
)
def test_analyse_category_and_emergency(classifier: PostClassifier, text: str, category: str,
                                        emergency: bool) -> None:
    result = classifier.analyse(text, None)
    assert (result.is_complaint, result.category, result.emergency) == (True, category, emergency)


def test_non_complaints_are_not_complaints(classifier: PostClassifier) -> None:
    for text in ("Продам гараж на Мичуринской, недорого", "Спасибо дворнику за чистый двор!"):
        result = classifier.analyse(text, None)
        assert not result.is_complaint and result.category is None and not result.emergency


def test_analyse_finds_building_and_address(classifier: PostClassifier, index: AddressIndex) -> None:
    result = classifier.analyse("в доме 12 по Интернациональной третий день нет горячей воды", index)
    assert result.address == "ул. Интернациональная, д. 12"
    assert result.building_id is not None
    assert format(index.records[result.building_id].street) == "Интернациональная"


def test_classify_stream_contract_shape(classifier: PostClassifier, index: AddressIndex) -> None:
    lines = [
        json.dumps({"id": 1, "text": "Советская 45 — нет света во всём доме!"}, ensure_ascii=False),
        json.dumps({"id": "b", "text": "Всем доброе утро, хорошего дня!"}, ensure_ascii=False),
    ]
    out = io.StringIO()
    assert classify_stream(lines, out, classifier, index) == 2
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert set(first) == OUTPUT_KEYS and set(second) == OUTPUT_KEYS
    assert first["id"] == 1 and first["is_complaint"] and first["category"] == "electricity"
    assert first["emergency"] and first["address"] == "ул. Советская, д. 45" and first["building_id"]
    assert 0.0 <= first["confidence"] <= 1.0
    assert second == {**second, "id": "b", "is_complaint": False, "category": None, "address": None,
                      "building_id": None}


def test_classify_stream_without_registry_reports_address_only(classifier: PostClassifier) -> None:
    out = io.StringIO()
    classify_stream(['{"id": 7, "text": "Мичуринская 112, лифт стоит"}'], out, classifier, None)
    answer = json.loads(out.getvalue())
    assert answer["address"] == "ул. Мичуринская, д. 112" and answer["building_id"] is None


def test_classify_stream_bad_lines_never_crash(classifier: PostClassifier, index: AddressIndex) -> None:
    lines = ["not json\n", "[1, 2]\n", '{"id": 3}\n', '{"id": 4, "text": 5}\n', "\n",
             '{"id": 5, "text": ""}\n', '{"id": 6, "text": "' + "ы" * 20000 + '"}\n']
    out = io.StringIO()
    assert classify_stream(lines, out, classifier, index) == 6
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a.get("error") is not None for a in answers] == [True, True, True, True, False, False]
    assert answers[2]["id"] == 3 and answers[3]["id"] == 4
    assert set(answers[4]) == OUTPUT_KEYS
