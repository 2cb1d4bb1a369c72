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


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Each test counts frames afresh: its own prefix for counts shared through Redis (CI's
    second tier sets REDIS_URL), and no buckets left by an earlier test's people."""
    import uuid

    from realtime import ratelimit

    settings.CHANNEL_LAYER_PREFIX = f"{settings.CHANNEL_LAYER_PREFIX}-{uuid.uuid4().hex[:8]}"
    ratelimit._buckets.clear()
    yield
    ratelimit._buckets.clear()


@pytest.fixture
def redis_url(settings):
    """The machine's Redis when REDIS_URL is set (CI's second tier), else a private one. Tests
    that use it are marked NEEDS_A_REDIS."""
    from .harness import RedisProcess

    if settings.REDIS_URL:
        yield settings.REDIS_URL
        return
    redis = RedisProcess().start()
    yield redis.url
    redis.kill()
