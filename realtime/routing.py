"""WebSocket routes. The live-conversation consumers arrive with the realtime issue; the ASGI
stack that guards them (origin, session) is in place from the start in hub/asgi.py."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
