"""The admission form: one person's path, step by step."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.admission_rules import CERTIFICATE_VALID_YEARS, MAX_AGE, MIN_AGE, add_years, age_on
from cells.forms.fields import DocumentNumberField, TextLimitsMixin, example_hint, use_day_inputs
from cells.models import Admission

# The steps in the order they happen: each date must not precede the one before it.
STEP_ORDER = [
    "awareness_class_date",
    "cell_resolution_date",
    "grassroots_resolution_date",
    "decision_date",
    "ceremony_date",
    "full_membership_date",
]


class AdmissionForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = Admission
        fields = [
            "organization", "full_name", "birth_date", "awareness_class_date", "cell_resolution_date",
            "grassroots_resolution_date", "decision_date", "decision_number", "ceremony_date", "probation_end_date",
            "full_membership_date",
        ]  # fmt: skip
        field_classes = {"decision_number": DocumentNumberField}

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cells
        use_day_inputs(self, *STEP_ORDER, "birth_date", "probation_end_date")
        self.fields["decision_number"].example = "12-QĐ/ĐU"
        self.fields["decision_number"].help_text = example_hint("12-QĐ/ĐU")

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in [*STEP_ORDER, "birth_date", "probation_end_date"]:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(
                    name,
                    _("%(date)s is in the future: enter the date once it has happened.")
                    % {"date": f"{value:%d/%m/%Y}"},
                )
        previous_name, previous = None, None
        for name in STEP_ORDER:
            value = cleaned.get(name)
            if not value:
                continue
            if previous and value < previous:
                self.add_error(
                    name,
                    _("This step cannot come before “%(step)s” (%(date)s): check both dates.")
                    % {"step": self.fields[previous_name].label, "date": f"{previous:%d/%m/%Y}"},
                )
            previous_name, previous = name, value
        cell = cleaned.get("organization")
        for name in ("cell_resolution_date", "decision_date"):
            value = cleaned.get(name)
            if cell and value and not cell.active_on(value) and name not in self.errors:
                self.add_error(
                    name,
                    _("%(cell)s did not exist on %(date)s: check the date or choose the cell that took its place.")
                    % {"cell": cell.name, "date": f"{value:%d/%m/%Y}"},
                )
        if cleaned.get("ceremony_date") and not cleaned.get("decision_date"):
            self.add_error("decision_date", _("A ceremony was entered: enter the admission decision's date too."))
        if cleaned.get("full_membership_date") and not cleaned.get("ceremony_date"):
            self.add_error("ceremony_date", _("Full membership was entered: enter the ceremony's date too."))
        return cleaned

    def warnings(self) -> list[str]:
        """Rules with exceptions in practice: shown, then saved when the user confirms."""
        data, found = self.cleaned_data, []
        considered = data.get("cell_resolution_date")
        birth = data.get("birth_date")
        if birth and considered and not MIN_AGE <= age_on(birth, considered) <= MAX_AGE:
            found.append(
                _("The person was %(age)s when the cell considered the case; the rule is %(min)s to %(max)s years.")
                % {"age": age_on(birth, considered), "min": MIN_AGE, "max": MAX_AGE}
            )
        certificate = data.get("awareness_class_date")
        if certificate and considered and considered > add_years(certificate, CERTIFICATE_VALID_YEARS):
            found.append(
                _("The awareness class certificate was over %(years)s years old when the cell considered the case.")
                % {"years": CERTIFICATE_VALID_YEARS}
            )
        return found
