"""The meeting record form, made to be filled on a phone in a couple of minutes."""

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells.forms.fields import TextLimitsMixin, use_day_inputs
from cells.models import Absentee, Meeting
from cells.uploads import check_scan


class MeetingForm(TextLimitsMixin, forms.ModelForm):
    """Hard rules are errors here; soft rules are warnings (`cells.meeting_services.meeting_warnings`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Meeting
        fields = [
            "organization", "date", "kind", "duration_minutes", "members_total", "members_present", "guest", "chair",
            "minutes_secretary", "topic", "content", "resolution", "minutes_scan",
        ]  # fmt: skip
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
            "minutes_scan": forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        }

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cells
        use_day_inputs(self, "date")
        self.fields["organization"].empty_label = None if len(cells) == 1 else "—"
        for name in ("members_total", "members_present", "duration_minutes"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        self.fields["minutes_scan"].help_text = gettext_lazy("PDF, JPEG or PNG, at most 10 MB.")
        if not self.is_bound and self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s is in the future: enter the day the meeting was held.")
                % {"date": date.strftime("%d/%m/%Y")}
            )
        return date

    def clean_members_total(self):
        total = self.cleaned_data["members_total"]
        if total < 1:
            raise forms.ValidationError(_("Enter the number of members on the cell's roll (at least 1)."))
        return total

    def clean_minutes_scan(self):
        scan = self.cleaned_data.get("minutes_scan")
        if scan and hasattr(scan, "content_type"):  # a new upload, not the file already stored
            kind = check_scan(scan)
            self.instance._scan_extension = kind.extension
        return scan

    def clean(self):
        cleaned = super().clean()
        total, present = cleaned.get("members_total"), cleaned.get("members_present")
        if total is not None and present is not None and present > total:
            self.add_error(
                "members_present",
                _("%(present)s present is more than the %(total)s members on the roll: correct one of the two.")
                % {"present": present, "total": total},
            )
        cell, date = cleaned.get("organization"), cleaned.get("date")
        if cell and date and not cell.active_on(date):
            self.add_error("date", _("%(cell)s did not exist on this date: check the date.") % {"cell": cell.name})
        return cleaned


AbsenteeFormSet = inlineformset_factory(
    Meeting,
    Absentee,
    fields=["name", "reason"],
    extra=1,
    can_delete=True,
    widgets={"name": forms.TextInput(attrs={"autocomplete": "off"})},
)
