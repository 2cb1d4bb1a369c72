import pytest


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test runs in its own event loop; a channel layer (and the process fan-out) made in
    one loop must not be reused in the next, as a server process never changes loops."""
    from channels.layers import channel_layers

    from realtime import fanout

    channel_layers.backends.clear()
    fanout._fanouts.clear()
    yield
    channel_layers.backends.clear()
    fanout._fanouts.clear()
