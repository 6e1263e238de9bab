"""Item 8 of issue 14: public Open311 answers carry no personal data; discovery does not echo Host."""
from __future__ import annotations

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
