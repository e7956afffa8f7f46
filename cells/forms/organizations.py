from django import forms
from django.utils.translation import gettext_lazy as _

from cells.uploads import check_table


class OrganizationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of organizations"),
        help_text=_("A CSV file (UTF-8) or an Excel workbook (.xlsx) whose first row names the columns."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_table(upload)
        return upload
