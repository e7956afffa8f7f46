from django.conf import settings
from django.shortcuts import render
from django.utils import translation


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an
    English Windows would show English to a Vietnamese secretary. Here only the language the
    user picked (the language cookie set by the switcher) overrides LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UploadLimitMiddleware:
    """Refuse a request whose body is larger than any upload may be, before anything reads it.

    Django would otherwise spool the whole body to disk before a form could look at its size.
    """

    # Room for the form's other fields and the multipart boundaries around the file.
    SLACK = 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from cells.params import parse_int
        from cells.uploads import max_upload_bytes

        length = parse_int(request.META.get("CONTENT_LENGTH"))
        if length is not None and length > max_upload_bytes() + self.SLACK:
            response = render(request, "413.html", {"limit": max_upload_bytes()}, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class AuditActorMiddleware:
    """The signed-in user is the actor of every change a request makes, bulk writes included (cells.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from cells.audit import acting
        from cells.security.events import client_ip

        user = getattr(request, "user", None)
        with acting(user=user if getattr(user, "is_authenticated", False) else None, remote_addr=client_ip(request)):
            return self.get_response(request)
