"""Item 8 of issue 14: public Open311 answers carry no personal data; discovery does not echo Host."""
from __future__ import annotations

import signal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City
from tests.registering import register_appeal
from workflows.open311.present import scrub

SECRETS = ["Иван", "Петров", "Орлов", "12", "17", "ivan", "mail.ru", "mail точка", "915", "123-45-67", "Сергеевна"]
TEXT = ("Меня зовут Иван Петров, квартира номер 12, пишите ivan(at)mail.ru или ivan собака mail точка ru, "
        "соседка Орлова Анна Сергеевна из кв.17, тел 8 (915) 123-45-67. Течёт крыша над подъездом 3")


def test_scrub_hides_names_flats_phones_and_obfuscated_e_mails() -> None:
    clean = scrub(TEXT)
    for secret in SECRETS:
        assert secret not in clean, (secret, clean)
    assert "Течёт крыша над подъездом 3" in clean
    assert scrub("В 12-й квартире нет воды, ivan [at] mail [dot] ru, А. Б. Сидорову") == \
        "В [скрыт] квартире нет воды, [e-mail скрыт], [имя скрыто]"


def test_public_requests_carry_no_personal_data(app: Flask, client: FlaskClient, city: City) -> None:
    appeal = register_appeal({"text": TEXT, "channel": "phone", "building_id": city.sovetskaya_45.id,
                              "category": "roof", "applicant": {"name": "Петров Иван", "phone": "+79151234567"}}).appeal
    for path in (f"/open311/v2/requests/{appeal.id}.json", "/open311/v2/requests.json",
                 f"/open311/v2/requests/{appeal.id}.xml"):
        body = client.get(path).get_data(as_text=True)
        assert "Течёт крыша" in body, path
        for secret in [s for s in SECRETS if not s.isdigit()] + ["номер 12", "кв.17", "79151234567"]:
            assert secret not in body, (path, secret)


def test_discovery_does_not_echo_the_host_header(app: Flask, client: FlaskClient) -> None:
    answer = client.get("/open311/v2/discovery.json", headers={"Host": "evil.example"})
    assert "evil.example" not in answer.get_data(as_text=True)
    assert answer.get_json()["endpoints"][0]["url"] == "/open311/v2"
    app.config["PUBLIC_URL"] = "https://otklik.tambov.example/"
    answer = client.get("/open311/v2/discovery.json", headers={"Host": "evil.example"})
    assert answer.get_json()["endpoints"][0]["url"] == "https://otklik.tambov.example/open311/v2"


@pytest.mark.parametrize(("text", "expected"), [
    ("кв 5 а, течёт", "кв [скрыт], течёт"),
    ("квартира №7б", "квартира [скрыт]"),
    ("5-я квартира", "[скрыт] квартира"),
    ("5 квартира", "[скрыт] квартира"),
    ("в 5 я квартире", "в [скрыт] квартире"),
    ("звоните 8 (915) 123-45-67 или +7 915 1234567", "звоните [телефон скрыт] или [телефон скрыт]"),
    ("дом 1234567 не телефон", "дом 1234567 не телефон"),  # seven digits are not a phone number
])
def test_scrub_phrasings(text: str, expected: str) -> None:
    assert scrub(text) == expected


HOSTILE = {  # texts on which the patterns backtracked (quadratic or cubic time): 63 s for the second one
    "a long word": "a" * 4000,
    "a digit and spaces": "1" + " " * 3999,
    "a flat and spaces": "кв" + " " * 3998,
    "phone-like runs": "+1(" * 1333,
    "dots": "a." * 2000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_scrub_never_backtracks_on_hostile_text(name: str) -> None:
    """A hang guard, not a speed figure: each text takes about a millisecond; the guard allows 5 s."""
    signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(5)
    try:
        clean = scrub(HOSTILE[name])
    finally:
        signal.alarm(0)
    assert len(clean) <= len(HOSTILE[name]) + 20


def _too_long(*_: object) -> None:
    raise AssertionError("scrub backtracked for more than 5 s")
