"""The Django admin (in Bangla), one module per family of models: ``offices`` (offices, roles, users, fiscal
years), ``plans`` (plans with their areas, activities and indicators), ``progress``; ``sheets`` holds the import
and export of the exchange sheets those lists offer, ``common`` what every page shares. Every write of an admin
page goes through the services (``common.ThroughServices``, DESIGN.md §4 "One write path").

Importing the package registers every model, as ``admin.autodiscover()`` expects.
"""

from indicators.admin import offices, plans, progress, templates  # noqa: F401 — registers the models
