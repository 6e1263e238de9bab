"""Post classifier: held-out metrics meet the goals, the `social classify` stream contract, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from workflows.addresses import AddressIndex, BuildingRecord
from workflows.social import CATEGORIES, PostClassifier, classify_stream
from workflows.social.evaluate import evaluate, synthetic_registry
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


def test_labelled_posts_are_varied_and_split() -> None:
    posts = read_examples(DEFAULT_DATA, split=None)
    test = [p for p in posts if p["split"] == "test"]
    assert len(posts) >= 450
    assert 0.25 <= len(test) / len(posts) <= 0.30
    assert {p["category"] for p in posts if p["is_complaint"]} == set(CATEGORIES)
    assert sum(not p["is_complaint"] for p in posts) >= 100
    assert len({p["id"] for p in posts}) == len(posts)


def test_held_out_metrics_meet_the_goals(classifier: PostClassifier, index: AddressIndex,
                                         registry: list[BuildingRecord]) -> None:
    figures = evaluate(classifier, index, read_examples(DEFAULT_DATA, split="test"), registry)
    assert figures["complaint_f1"] >= 0.90
    assert figures["category_accuracy"] >= 0.85
    assert figures["building_accuracy"] >= 0.85
    assert figures["posts_naming_building"] >= 40
    assert figures["invented_buildings"] == 0


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
