import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
application = get_wsgi_application()
# Every URL, and with them every view, form and the API's schemas, is loaded as the server
# starts, not by the first request a new worker serves (about a second at the site's size:
# the first reader after a deployment or a worker's restart would wait for it).
get_resolver().reverse_dict  # noqa: B018 (loading the URLconf is the point)
