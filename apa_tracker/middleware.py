"""Bangla first: the interface is Bangla unless the user picked English with the language switch."""

from django.middleware.locale import LocaleMiddleware


class BanglaFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted: office computers
    often say en-US although their users read Bangla. The language cookie set by the switch still decides."""

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
