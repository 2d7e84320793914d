"""WSGI entry point (gunicorn apa_tracker.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apa_tracker.settings")

application = get_wsgi_application()
