"""WebSocket routes: one multiplexed socket per browser tab (docs/realtime-protocol.md)."""

from django.urls import path

from .consumers import HubConsumer

websocket_urlpatterns = [path("ws/", HubConsumer.as_asgi())]
