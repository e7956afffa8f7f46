from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Level
from plans.models import Candidate
from plans.services.schedule import Frequency


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=200)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Candidate.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "candidate-filter"
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-4"),
                Column("level", css_class="col-md-3"),
                Column("status", css_class="col-md-3"),
                Column(
                    StrictButton(_("Filter"), type="submit", css_class="btn-outline-primary mt-md-4"),
                    css_class="col-md-2",
                ),
            )
        )


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Run on a schedule"), required=False)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.CHOICES)
    time = forms.TimeField(
        label=_("At (hh:mm)"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": _("Write the time as hh:mm, e.g. 02:00.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("enabled", css_class="col-md-3 pt-md-4"),
                Column("frequency", css_class="col-md-4"),
                Column("time", css_class="col-md-2"),
                Column(
                    StrictButton(_("Save the schedule"), type="submit", css_class="btn-outline-primary mt-md-4"),
                    css_class="col-md-3",
                ),
            )
        )
