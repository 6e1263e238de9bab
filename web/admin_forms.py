"""Forms of the administration screens: every field bounded, every message in Russian."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from web.labels import KIND_LABELS, ROLE_LABELS, SUPPLY_LABELS
from workflows.accounts.admin import SCREEN_ROLES
from workflows.accounts.service import ORG_BOUND_ROLES
from workflows.outages.models import REP_CHANNELS, REP_ROLES
from workflows.registry.models import ORGANIZATION_KINDS
from workflows.resources import RESOURCES

REQUIRED = "Заполните это поле"
REP_ROLE_NAMES = {"chair": "председатель совета дома", "active_resident": "активный житель"}
CHANNEL_NAMES = {"telegram": "Telegram", "max": "MAX", "vk": "ВКонтакте", "sms": "СМС", "email": "электронная почта"}


class RussianForm(FlaskForm):
    """WTForms' own messages (a wrong choice, a bad date) in Russian, whatever the request's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            return get_translations(["ru"])


def _long(limit: int) -> Length:
    return Length(max=limit, message=f"Не длиннее {limit} символов")


class NameForm(RussianForm):
    name = StringField("Название", validators=[DataRequired(REQUIRED), _long(200)])


class ActionForm(RussianForm):
    """A button that changes something: only the CSRF token."""


class SwitchForm(RussianForm):
    enabled = HiddenField(validators=[InputRequired(REQUIRED), Regexp(r"^[01]$", message="Неверное значение")])


class WaveBuildingsForm(RussianForm):
    district = SelectField("Район", choices=[], default="")
    organization_id = SelectField("Управляющая компания", choices=[], default="")
    addresses = TextAreaField("Адреса (по одному в строке)", validators=[_long(20_000)])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.district.data or self.organization_id.data or (self.addresses.data or "").strip()):
            self.addresses.errors = ["Выберите район, управляющую компанию или впишите адреса"]
            return False
        return True


class ScheduleForm(RussianForm):
    switch_on_at = DateTimeLocalField("Включить уведомления", format="%Y-%m-%dT%H:%M",
                                      validators=[InputRequired("Укажите дату и время включения")])


class AddressForm(RussianForm):
    """Picking a building by its address (GET, no token needed)."""

    class Meta(RussianForm.Meta):
        csrf = False

    address = StringField("Адрес дома", validators=[Optional(), _long(300)])


class RepresentativeForm(RussianForm):
    name = StringField("Имя", validators=[_long(200)])
    role = SelectField("Роль", choices=[(r, REP_ROLE_NAMES[r]) for r in REP_ROLES])
    channel = SelectField("Канал связи", choices=[(c, CHANNEL_NAMES[c]) for c in REP_CHANNELS])
    address = StringField("Адрес в канале (номер чата, телефон или электронная почта)",
                          validators=[DataRequired(REQUIRED), _long(200)])
    consent = BooleanField("Представитель дал согласие на уведомления (152-ФЗ)",
                           validators=[DataRequired("Без согласия представителя добавить нельзя")])


def _role_choices() -> list[tuple[str, str]]:
    return [(r, ROLE_LABELS.get(r, r)) for r in SCREEN_ROLES]


class UserEditForm(RussianForm):
    full_name = StringField("ФИО", validators=[_long(200)])
    role = SelectField("Роль", choices=_role_choices())
    organization_id = SelectField("Организация", choices=[], default="")

    def validate_organization_id(self, field: SelectField) -> None:
        if self.role.data in ORG_BOUND_ROLES and not field.data:
            raise ValidationError("для этой роли нужна организация")


class UserCreateForm(UserEditForm):
    login = StringField("Логин", validators=[
        DataRequired(REQUIRED), _long(80),
        Regexp(r"^[A-Za-z0-9._-]+$", message="Только латинские буквы, цифры, точка, дефис и подчёркивание")])
    password = PasswordField("Пароль", validators=[
        DataRequired(REQUIRED), Length(min=8, max=200, message="Пароль от 8 до 200 символов")])


class PasswordForm(RussianForm):
    password = PasswordField("Новый пароль", validators=[
        DataRequired(REQUIRED), Length(min=8, max=200, message="Пароль от 8 до 200 символов")])
    confirm = PasswordField("Ещё раз", validators=[EqualTo("password", message="Пароли не совпадают")])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrganizationForm(RussianForm):
    name = StringField("Название", validators=[DataRequired(REQUIRED), _long(300)])
    kind = SelectField("Вид", choices=[(k, KIND_LABELS.get(k, k)) for k in ORGANIZATION_KINDS])
    resources = MultiCheckboxField("Поставляет ресурсы", choices=[(r, SUPPLY_LABELS.get(r, r)) for r in RESOURCES],
                                   invalid_choice_message="Неверный вариант: такого ресурса нет")
    phone = StringField("Телефон", validators=[_long(40)])
    inn = StringField("ИНН", validators=[Optional(), Regexp(r"^(\d{10}|\d{12})$", message="ИНН — 10 или 12 цифр")])


def organization_choices(organizations: Any, empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(o.id), o.name) for o in organizations]


def apply_errors(form: RussianForm, details: Any) -> None:
    """A service's field errors shown under the form's fields (the rest at the top)."""
    if not isinstance(details, dict):
        return
    for name, message in details.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, str(message)]
        else:
            form.form_errors.append(str(message))
