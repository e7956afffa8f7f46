from django.conf import settings
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


class AuditActorMiddleware:
    """The signed-in user is the actor of every change a request makes, bulk writes included (cells.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from cells.audit import acting

        user = getattr(request, "user", None)
        with acting(
            user=user if getattr(user, "is_authenticated", False) else None, remote_addr=client_address(request)
        ):
            return self.get_response(request)


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
