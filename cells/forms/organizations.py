from django import forms
from django.utils.translation import gettext_lazy as _

from cells.uploads import check_table

TABLE_HELP = _("A CSV file (UTF-8) or an Excel workbook (.xlsx) whose first row names the columns.")


class TableUploadForm(forms.Form):
    """A table to import (cells.views.imports): checked by its size, type and, for a workbook, its parts."""

    file = forms.FileField(label=_("File"), help_text=TABLE_HELP)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_table(upload)
        return upload


class OrganizationImportForm(TableUploadForm):
    file = forms.FileField(label=_("File of organizations"), help_text=TABLE_HELP)


class MeetingImportForm(TableUploadForm):
    file = forms.FileField(label=_("File of meetings"), help_text=TABLE_HELP)
