from django.apps import AppConfig


class LoadtestConfig(AppConfig):
    """The load-test tools (see the package's docstring): commands only, after the product apps."""

    name = "loadtest"
    verbose_name = "লোড পরীক্ষা"
