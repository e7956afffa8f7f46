"""Inputs every form shares: dates typed as dd/mm/yyyy, party document numbers, text limits.

Dates are text inputs, not `type=date`: the browser's date picker follows the browser's
locale (mm/dd/yyyy in many), while users read and write dd/mm/yyyy everywhere.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cells.text import document_number

# dd/mm/yyyy first; ISO is accepted too, for pasted values (settings.DATE_INPUT_FORMATS).
DATE_INPUT_FORMATS = settings.DATE_INPUT_FORMATS
DATE_PATTERN = r"\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2})\s*"
DATE_INVALID = _("Write the date as dd/mm/yyyy, e.g. 28/12/2018.")


class DateTextInput(forms.DateInput):
    """A date as dd/mm/yyyy text, with a numeric keyboard on phones."""

    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "pattern": DATE_PATTERN,
            "autocomplete": "off",
            "class": "form-control date-input",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DayField(forms.DateField):
    """A DateField read as dd/mm/yyyy with a message that says how to write it."""

    widget = DateTextInput
    default_error_messages = {"invalid": DATE_INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


def use_day_inputs(form: forms.BaseForm, *names: str) -> None:
    """Turn a model form's date fields into dd/mm/yyyy text inputs (keeping their labels and rules)."""
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        attrs = {k: v for k, v in field.widget.attrs.items() if k != "type"}
        field.widget = DateTextInput(attrs=attrs)
        field.input_formats = DATE_INPUT_FORMATS
        field.error_messages["invalid"] = DATE_INVALID


def example_hint(example: str):
    """ "Ví dụ: 35-QĐ/HU": the one hint of every document number input, translated when shown."""
    return format_lazy(_("For example: {example}"), example=example)


class DocumentNumberField(forms.CharField):
    """A party document number, stored without "Số": the user may type "Số 35-QĐ/HU" or "35-qđ/hu"."""

    def __init__(self, *, example: str = "35-QĐ/HU", **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
        self.example = example
        self.help_text = example_hint(example)

    def to_python(self, value):
        return document_number(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and ("-" not in value or "/" not in value):
            raise ValidationError(
                _("Write the document number as the party does, for example %(example)s.") % {"example": self.example},
                code="document_number",
            )


TOO_LONG = _(
    "This text has %(show_value)s characters; at most %(limit_value)s are allowed. Shorten it, or keep the "
    "details in a document of their own."
)


class TextLimitsMixin:
    """Every text field with a maximum length (cells.text: NOTE_MAX, SECTION_MAX) refuses a longer text
    with a message that says how long it is and what to do, in the user's language (Django's own
    message has no Vietnamese). Put it first among a form's bases; fields added in `__init__` count too."""

    def full_clean(self):
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = TOO_LONG
        super().full_clean()
