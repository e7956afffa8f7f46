"""Forms of decisions, plans, tasks and progress reports."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Level
from cells.forms.fields import DayField, DocumentNumberField, TextLimitsMixin, example_hint, use_day_inputs
from cells.models import Organization
from cells.text import NOTE_MAX
from cells.uploads import check_attachment
from plans.models import Candidate, Plan, ProgressReport, Target, Task
from plans.people import person_name


def user_label(user) -> str:
    return person_name(user)


class StandingMemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class DecisionForm(TextLimitsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Candidate.Decision.SELECTED, _("Selected for consolidation")),
            (Candidate.Decision.NOT_SELECTED, _("Not selected")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    number = DocumentNumberField(label=_("Decision number"))
    date = DayField(label=_("Decision date"))
    decided_by = StandingMemberField(
        label=_("Decided by"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Staff record the decision on behalf of a standing committee member."),
    )

    def __init__(self, *args, standing_members=None, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["decided_by"].queryset = standing_members
            self.fields["decided_by"].required = True
        else:
            del self.fields["decided_by"]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The decision date is in the future: enter the date the decision was signed."))
        return date


class ManualSelectionForm(TextLimitsMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Grassroots organization"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Year of support"), min_value=1990, max_value=2100)
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    number = DocumentNumberField(label=_("Decision number"))
    date = DayField(label=_("Decision date"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["year"].initial = timezone.localdate().year + 1

    def clean(self):
        data = super().clean()
        organization, year = data.get("organization"), data.get("year")
        if organization and year and Candidate.objects.filter(organization=organization, year=year).exists():
            raise ValidationError(
                _("This unit is already a candidate for that year: record the decision on its candidate page.")
            )
        return data


class PlanForm(TextLimitsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = ["number", "issued_on", "place", "weaknesses", "causes", "lead", "signer_title", "recipients"]
        widgets = {
            "weaknesses": forms.Textarea(attrs={"rows": 5}),
            "causes": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"lead": StandingMemberField, "number": DocumentNumberField}

    def __init__(self, *args, standing_members=None, **kwargs):
        super().__init__(*args, **kwargs)
        use_day_inputs(self, "issued_on")
        self.fields["lead"].queryset = standing_members
        self.fields["lead"].required = True
        self.fields["number"].required = True
        self.fields["number"].example = "45-KH/HU"
        self.fields["number"].help_text = example_hint("45-KH/HU")
        if not self.is_bound and self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TargetForm(TextLimitsMixin, forms.Form):
    """One target row. Targets are saved as a whole list with the plan, so rows carry no ids:
    a row another editor removed meanwhile cannot make the form fail."""

    kind = forms.ChoiceField(
        label=_("Kind of target"),
        choices=[("", "---------"), *Target.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    number = forms.IntegerField(
        label=_("Number"),
        min_value=0,
        max_value=1000,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", "---------"), *Level.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    text = forms.CharField(
        label=_("Description"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The table's header is far from its cells for a screen reader: each control names its row.
        index = (self.prefix or "").rsplit("-", 1)[-1]
        for field in self.fields.values():
            label = field.label
            if index.isdigit():
                label = _("Target %(row)s: %(field)s") % {"row": int(index) + 1, "field": field.label}
            field.widget.attrs["aria-label"] = label

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in Target.COUNT_KINDS and data.get("number") is None:
            self.add_error("number", _("Enter the number to reach, for example 12 meetings."))
        elif kind == Target.Kind.LEVEL and not data.get("level"):
            self.add_error("level", _("Choose the level the unit should reach."))
        elif kind == Target.Kind.TEXT and not data.get("text"):
            self.add_error("text", _("Describe the target in a few words."))
        if kind in Target.COUNT_KINDS:
            data["level"], data["text"] = "", ""
        elif kind == Target.Kind.LEVEL:
            data["number"], data["text"] = None, ""
        elif kind == Target.Kind.TEXT:
            data["number"], data["level"] = None, ""
        return data


# One blank row; "Add a target" adds more in the page (static/js/formset.js), without a save.
TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True)


def target_initial(plan) -> list[dict]:
    return [{"kind": t.kind, "number": t.number, "level": t.level, "text": t.text} for t in plan.targets.all()]


def targets_from(formset) -> list[dict]:
    return [
        {name: form.cleaned_data[name] for name in ("kind", "number", "level", "text")}
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("kind") and not form.cleaned_data.get("DELETE")
    ]


class TaskForm(TextLimitsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = ["title", "description", "assignee", "committee", "due", "state"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"assignee": StandingMemberField}

    def __init__(self, *args, standing_members=None, **kwargs):
        super().__init__(*args, **kwargs)
        use_day_inputs(self, "due")
        self.fields["assignee"].queryset = standing_members
        self.fields["assignee"].help_text = _("Either a standing committee member or a committee, not both.")
        if not self.is_bound and self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if not self.instance.pk:
            del self.fields["state"]

    def clean(self):
        data = super().clean()
        if bool(data.get("assignee")) == bool(data.get("committee")):
            raise ValidationError(_("Assign the task to either a standing committee member or a committee, not both."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class ProgressReportForm(TextLimitsMixin, forms.ModelForm):
    done = forms.BooleanField(
        label=_("This is the final report: the task is done"),
        required=False,
        help_text=_("The task is marked done with this report."),
    )

    class Meta:
        model = ProgressReport
        fields = ["reported_on", "text", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_day_inputs(self, "reported_on")
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["attachment"].help_text = _("Optional: PDF, Word, Excel, JPEG or PNG, at most 5 MB.")

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        if day > timezone.localdate() + datetime.timedelta(days=1):
            raise ValidationError(_("The report's date is in the future: enter the day the work was done."))
        return day

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        upload.checked_type = check_attachment(upload)
        return upload
