# Knowledge Hub: Django + Channels served by Daphne (ASGI: HTTP and WebSockets).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=hub.settings.prod

# An unprivileged user owns the code and runs the server.
RUN groupadd --system hub && useradd --system --gid hub --home-dir /app --no-create-home hub

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN python -m pip install -r requirements.txt

COPY --chown=hub:hub . .
RUN chown hub:hub /app

USER hub

# The static files, with hashed names, are part of the image. The key is a throwaway that exists
# only for this one command: it is not an ENV, so it is not in the image's configuration, and
# hub.settings.prod refuses to start without a real SECRET_KEY at run time.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret \
    python manage.py collectstatic --noinput

EXPOSE 8000

CMD ["uvicorn", "hub.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--ws", "websockets-sansio", "--ws-ping-interval", "20", "--ws-ping-timeout", "20", "--lifespan", "off", "--proxy-headers"]
