"""The models of ``indicators``, a package by concept: offices (and roles), plans (fiscal years, plans,
templates, areas, activities, indicators, progress), periods (quarters, transitions, approvals), history, and
notifications. Every name is importable from ``indicators.models`` as before."""

from indicators.models.history import *  # noqa: F403
from indicators.models.notifications import *  # noqa: F403
from indicators.models.offices import *  # noqa: F403
from indicators.models.periods import *  # noqa: F403
from indicators.models.plans import *  # noqa: F403
