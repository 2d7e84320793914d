from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself, on top of every app: settings and addresses, health, sign-in, and the commands that
    concern the whole site (``load_demo``, ``backup``, ``restore``)."""

    name = "apa_tracker"
    verbose_name = "APA Tracker"
