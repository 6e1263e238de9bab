"""Text a resident, a post or a designer controls is read in linear time: no regular expression backtracks on it.

Hang guards, not speed figures: each call takes milliseconds, the guard allows 5 s. Before the fixes the social
gas rule took 1.3 s on 20,000 letters of «вонвон…» (quadratic), the desk cues 0.2 s on 20,000 letters of one
stem, the diagram cut-out 14 s on 80,000 tabs; a post of 5,000 digits and a format width of 5,000 digits raised
ValueError from int(). The texts run to each field's maximum length (posts 20,000, appeals 5,000).
"""
from __future__ import annotations

import ast
import signal
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from connectors import phones
from engine.layout import without_diagram
from engine.sandbox import check_source
from web.process_names import name_in
from workflows.addresses import AddressIndex
from workflows.addresses.post_address import finder_for
from workflows.addresses.post_tokens import tokenize_post
from workflows.appeals.catalog import BY_CODE
from workflows.appeals.deadlines import parse_duration
from workflows.appeals.desk import PHONE_CHARS
from workflows.appeals.input import MAX_TEXT as APPEAL_MAX
from workflows.appeals.suggest import cue_table, sounds_like_emergency, suggest
from workflows.errors import ValidationFailed
from workflows.failures.texts import in_words
from workflows.social import CATEGORIES, PostClassifier
from workflows.social.evaluate import synthetic_registry
from workflows.social.lexicon import lexicon_features
from workflows.social.rules import POST_KINDS, category_boosts, emergency_cue
from workflows.social_intake.store import MAX_TEXT as POST_MAX

STEMS = ("вон", "пахн", "горяч", "холодн", "вывоз", "выставил", "двойн", "лестничн", "капитальн", "утечк", "засор",
         "забил", "пада", "упал", "мусорн", "загрузочн", "мусорк", "площадк", "автомат", "отключ", "потол", "кодов",
         "детск", "стояк", "показани", "перекрыл")


def _fill(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _hostile(length: int) -> dict[str, str]:
    """Long runs of what neighbouring quantifiers share, and near-matches repeated that fail at the end."""
    texts = {name: _fill(unit, length) for name, unit in {
        "spaces": " ", "digits": "1", "letters": "а", "latin": "a", "dots": ".", "hyphens": "-", "tabs": "\t",
        "digit and hyphen": "1-", "letter and hyphen": "а-", "phone-like": "+1(", "at signs": "a@",
        "addresses": "Советская 45, д. 1-3, ", "houses with letters": "12-а ", "ordinals": "45-м ",
    }.items()}
    texts["a digit and spaces"] = "1" + " " * (length - 2) + "x"
    texts["stems glued into one word"] = "".join(_fill(stem, length // len(STEMS)) for stem in STEMS)
    return texts


POSTS = _hostile(POST_MAX)
APPEALS = _hostile(APPEAL_MAX)


class _TooLong(AssertionError):
    pass


def _too_long(*_: object) -> None:
    raise _TooLong("a regular expression backtracked for more than 5 s")


def _guarded(call: Callable[[], Any]) -> Any:
    signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(5)
    try:
        return call()
    finally:
        signal.alarm(0)


@pytest.fixture(scope="module")
def index() -> AddressIndex:
    return AddressIndex(synthetic_registry())


@pytest.fixture(scope="module")
def classifier() -> Iterator[PostClassifier]:
    yield PostClassifier.load()


@pytest.mark.parametrize("name", POSTS)
def test_post_rules_and_lexicon_never_backtrack(name: str) -> None:
    text = POSTS[name]
    assert set(_guarded(lambda: category_boosts(text))) <= set(CATEGORIES)
    assert _guarded(lambda: emergency_cue(text, "gas")) in (True, False)
    assert all(f.startswith("k:") for f in _guarded(lambda: lexicon_features(text)))


@pytest.mark.parametrize("stem", ["вон", "горяч", "капитальн", "стояк", "мусорк"])
def test_stem_rules_stay_linear_far_beyond_a_post(stem: str) -> None:
    """One stem repeated into a word ten times a post's length: the quadratic rules took 10 s to 2 min here."""
    text = _fill(stem, 10 * POST_MAX)
    assert set(_guarded(lambda: category_boosts(text))) <= set(CATEGORIES)
    assert not _guarded(lambda: emergency_cue(text, "gas"))
    assert _guarded(lambda: sounds_like_emergency(text, "cold_water")) in (True, False)
    matched = _guarded(lambda: [cue.category for cue in cue_table().cues if cue.pattern.search(text)])
    assert set(matched) <= set(BY_CODE)


@pytest.mark.parametrize("name", POSTS)
def test_post_tokens_and_addresses_never_backtrack(name: str, index: AddressIndex) -> None:
    text = POSTS[name]
    tokens = _guarded(lambda: tokenize_post(text))
    assert all(0 <= t.start < t.stop <= len(text) for t in tokens)
    found = _guarded(lambda: finder_for(index).find(text))
    assert found.building_id is None or isinstance(found.building_id, int)
    assert _guarded(lambda: index.find_in_text(text)).building_id is None or name == "addresses"


@pytest.mark.parametrize("name", POSTS)
def test_social_classifier_never_backtracks(name: str, classifier: PostClassifier, index: AddressIndex) -> None:
    analysis = _guarded(lambda: classifier.analyse(POSTS[name], index))
    assert analysis.kind in POST_KINDS
    assert 0.0 <= analysis.confidence <= 1.0


@pytest.mark.parametrize("name", APPEALS)
def test_desk_suggestions_search_and_phone_never_backtrack(name: str, index: AddressIndex) -> None:
    text = APPEALS[name]
    category = _guarded(lambda: suggest(text))
    assert category is None if not text.strip() else category in BY_CODE
    assert _guarded(lambda: sounds_like_emergency(text, "cold_water")) in (True, False)
    assert len(_guarded(lambda: index.search(text, limit=8))) <= 8
    _guarded(lambda: index.resolve(text))
    assert isinstance(_guarded(lambda: index.expand_range(text)), list)
    assert _guarded(lambda: phones.e164(text)) is None
    assert _guarded(lambda: PHONE_CHARS.match(text)) is None


@pytest.mark.parametrize("name", APPEALS)
def test_engine_failure_texts_never_backtrack(name: str) -> None:
    message = f"service 'deadline' failed: not an ISO 8601 duration: {APPEALS[name]}"
    assert _guarded(lambda: in_words(message)).startswith("операция «deadline»")


@pytest.mark.parametrize("blanks", [b" ", b"\t"])
def test_diagram_cut_out_never_backtracks(blanks: bytes) -> None:
    """Runs of blanks and unclosed diagram tags: nothing to cut, every byte kept."""
    content = blanks * 200_000 + b"<bpmndi:BPMNDiagram id=\"d\">" * 5_000 + b"</definitions>"
    assert _guarded(lambda: without_diagram(content)) == content


def test_diagram_cut_out_still_cuts_each_diagram() -> None:
    content = (b"<definitions>\n  <process/>\n  <bpmndi:BPMNDiagram id=\"a\">\n    <x/>\n  </bpmndi:BPMNDiagram>\n"
               b"\t<BPMNDiagram id=\"b\"><y/></BPMNDiagram>\n</definitions>\n")
    assert without_diagram(content) == b"<definitions>\n  <process/>\n</definitions>\n"


def test_process_name_lookup_never_backtracks() -> None:
    """A designer's comment of unclosed start tags: every one scanned on to the comment's end (8 s for 72 KB)."""
    content = ("<definitions><!-- " + "<process " * 100_000 + "-->"
               '<process id="appeal" name="Обращение жителя"/></definitions>').encode()
    assert _guarded(lambda: name_in(content, "appeal")) == "Обращение жителя"


def test_format_width_of_thousands_of_digits_is_refused_not_an_error() -> None:
    source = "y = f'{x:" + "1" * 5000 + "}'"
    ast.parse(source)
    assert check_source(source, "exec") == [("a format width above 9999 is not allowed", 1)]
    assert check_source("y = f'{x:09999}'", "exec") == []


def test_post_of_thousands_of_digits_names_no_house(index: AddressIndex) -> None:
    tokens = tokenize_post("1" * 5000 + " на Советской")
    assert tokens[0].kind == "num" and tokens[0].value is None
    assert finder_for(index).find("1" * 5000 + " на Советской").building_id is None


# The stem rules now start where a word starts; a stem inside a word still counts, as before.
@pytest.mark.parametrize(("text", "category"), [
    ("завоняло газом в подъезде", "gas"),
    ("в подвале пахнет газом", "gas"),
    ("утечка газа на кухне", "gas"),
    ("засорилась канализация, всё лезет", "sewerage"),
    ("упал кусок штукатурки", "structure"),
    ("с балкона падают куски", "structure"),
])
def test_emergency_phrasings(text: str, category: str) -> None:
    assert emergency_cue(text, category)


@pytest.mark.parametrize(("text", "category"), [
    ("нет горячей воды", "hot_water"),
    ("очень холодная вода из крана", "cold_water"),
    ("невывоз мусора неделю", "waste"),
    ("выставили сумму вдвое", "billing"),
    ("двойные начисления", "billing"),
    ("разрушен лестничный марш", "structure"),
    ("когда капитальный ремонт", "capital_repair"),
])
def test_category_cue_phrasings(text: str, category: str) -> None:
    assert category in category_boosts(text)


def test_category_cue_needs_the_next_word() -> None:
    assert "hot_water" not in category_boosts("горячая батарея")
    assert "capital_repair" not in category_boosts("капитальный забор ремонт")


@pytest.mark.parametrize(("text", "category"), [
    ("повыключали воду во всём доме", "cold_water"),
    ("холодной воды нет", "cold_water"),
    ("капитального ремонта не было", "capital_repair"),
    ("мусорная камера открыта", "garbage_chute"),
    ("загрузочный клапан сломан", "garbage_chute"),
    ("мусорка в подъезде", "garbage_chute"),
    ("с потолка, потолок течет", "roof"),
    ("сломан кодовый замок", "entrance"),
    ("детская площадка в грязи", "yard"),
    ("стояк забит", "sewerage"),
    ("забило стояк", "sewerage"),
    ("передать показания счетчика", "other"),
    ("перекрыли выезд", "other"),
    ("автомат выбивает", "electricity"),
])
def test_desk_cue_phrasings(text: str, category: str) -> None:
    assert any(cue.pattern.search(text) for cue in cue_table().cues if cue.category == category)


@pytest.mark.parametrize("text", ["P" + "9" * 5000 + "D", "PT" + "9" * 30 + "H", "P99999999D"])
def test_an_absurdly_long_duration_is_a_field_error_not_a_crash(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_duration(text)
    assert refused.value.details == {"duration": "слишком длинная"}
