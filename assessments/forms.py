from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.rules import rule_set_for
from assessments.services import ResultRow, level_choices_for, row_problems
from cells.forms.fields import DayField, DocumentNumberField, TextLimitsMixin
from cells.forms.organizations import TABLE_HELP, TableUploadForm
from cells.text import NOTE_MAX


class YearEntryForm(TextLimitsMixin, forms.Form):
    """A whole year for one committee: a level (and score) per unit, checked together.

    Fields are named after the unit's primary key (`level_42`), so an error lands on its row.
    """

    decision_number = DocumentNumberField(label=_("Decision number"), required=False)
    decision_date = DayField(label=_("Decision date"), required=False)

    def __init__(self, *args, units, existing, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.units, self.existing, self.year = list(units), existing, year
        self.rule_set = rule_set_for(year)
        self.warnings = {}
        choices = [("", "—"), *level_choices_for(year)]
        any_result = next(iter(existing.values()), None)
        if any_result is not None:
            self.fields["decision_number"].initial = any_result.decision_number
            self.fields["decision_date"].initial = any_result.decision_date
        for unit in self.units:
            current = existing.get(unit.pk)
            self.fields[f"level_{unit.pk}"] = forms.ChoiceField(
                label=unit.name,
                choices=choices,
                required=False,
                initial=current.level if current else "",
                widget=forms.Select(
                    # Wide enough for the longest label; the table scrolls sideways on a phone.
                    attrs={"class": "form-select form-select-sm select-level", "aria-label": unit.name}
                ),
            )
            if self.rule_set.uses_score:
                self.fields[f"score_{unit.pk}"] = forms.DecimalField(
                    label=_("Score"),
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=2,
                    localize=True,
                    initial=current.score if current else None,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm",
                            "inputmode": "decimal",
                            "aria-label": _("Score: %(unit)s") % {"unit": unit.name},
                        }
                    ),
                    error_messages={"invalid": _("Write the score as a number from 0 to 100, e.g. 85 or 72,5.")},
                )
            self.fields[f"note_{unit.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=NOTE_MAX,
                initial=current.note if current else "",
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "aria-label": _("Note: %(unit)s") % {"unit": unit.name},
                    }
                ),
            )
            if current is not None and current.state == current.State.FINAL:
                self.fields[f"reason_{unit.pk}"] = forms.CharField(
                    label=_("Reason for a correction"),
                    required=False,
                    max_length=NOTE_MAX,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm",
                            "placeholder": _("Only when changing a final result"),
                            "aria-label": _("Reason for a correction: %(unit)s") % {"unit": unit.name},
                        }
                    ),
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("decision_number", css_class="col-md-4"), Column("decision_date", css_class="col-md-3"))
        )

    def rows(self):
        """Per unit: the unit, its stored result and its bound fields, for the template."""
        for unit in self.units:
            yield {
                "unit": unit,
                "current": self.existing.get(unit.pk),
                "level": self[f"level_{unit.pk}"],
                "score": self[f"score_{unit.pk}"] if self.rule_set.uses_score else None,
                "note": self[f"note_{unit.pk}"],
                "reason": self[f"reason_{unit.pk}"] if f"reason_{unit.pk}" in self.fields else None,
                "warnings": self.warnings.get(unit.pk, []),
            }

    def clean(self):
        cleaned = super().clean()
        self.result_rows = []
        for unit in self.units:
            level = cleaned.get(f"level_{unit.pk}")
            if f"level_{unit.pk}" in self.errors or f"score_{unit.pk}" in self.errors:
                continue
            current = self.existing.get(unit.pk)
            score = cleaned.get(f"score_{unit.pk}")
            if not level:
                if current is not None:
                    self.add_error(
                        f"level_{unit.pk}",
                        _("This unit already has a result for this year: choose its level (results are never erased)."),
                    )
                elif score is not None:
                    self.add_error(f"level_{unit.pk}", _("A score was given: choose the level that goes with it."))
                continue
            row = ResultRow(
                organization_id=unit.pk,
                year=self.year,
                level=level,
                score=score,
                note=cleaned.get(f"note_{unit.pk}", ""),
                reason=cleaned.get(f"reason_{unit.pk}", "") or "",
            )
            for column, severity, message in row_problems(row=row, existing=current):
                if severity == "error":
                    self.add_error(f"{column}_{unit.pk}", message)
                else:
                    self.warnings.setdefault(unit.pk, []).append(message)
            self.result_rows.append(row)
        if not self.result_rows and not self.errors:
            raise forms.ValidationError(_("No level was chosen: choose a level for at least one unit."))
        return cleaned

    def row_errors(self) -> int:
        return len(
            [name for name in self.errors if name != "__all__" and "_" in name and name.split("_")[-1].isdigit()]
        )


class ClassificationImportForm(TableUploadForm):
    file = forms.FileField(label=_("File of classifications"), help_text=TABLE_HELP)
