from django import forms
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class OrganizationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of organizations"),
        help_text=_("A CSV file (UTF-8) or an Excel workbook (.xlsx) whose first row names the columns."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                _(
                    "Only .csv and .xlsx files can be imported. In Excel choose “Save as” › “CSV UTF-8” "
                    "or “Excel Workbook”."
                )
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into several files and import them one by one.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
