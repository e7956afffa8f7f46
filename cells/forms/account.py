"""Forms of a user's own account: the second factor and its recovery codes."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isascii() and code.isdigit()) or len(code) != 6:  # "²" passes isdigit()
            raise forms.ValidationError(_("Type the 6 digits your authenticator app shows for Vanlang."))
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().replace(" ", "").lower()
