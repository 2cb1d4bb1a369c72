import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from realtime.routing import websocket_urlpatterns  # noqa: E402
from search.index import set_indexing  # noqa: E402

# A server indexes after commit off the path of the frame or request: in a background thread,
# or by handing the work to the indexing worker.
set_indexing(settings.SEARCH_INDEXING)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Everything loaded so far lives as long as the process. Freezing it keeps the collector's full
# passes from walking the whole of Django each time (measured: 68 ms per pass, a pause in the
# middle of whatever the server was delivering; about 2 ms frozen).
gc.freeze()
