# Knalle in a container: non-root, the SQLite database on a volume at /data.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN python -m pip install --no-cache-dir --prefix=/install ".[postgres]"

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    KNALLE_DATABASE_URL=sqlite:////data/knalle.db \
    KNALLE_TIMEZONE=Europe/Stockholm \
    TZ=Europe/Stockholm \
    MPLCONFIGDIR=/tmp/matplotlib
RUN useradd --system --uid 10001 --home-dir /app knalle \
    && mkdir -p /data /app && chown knalle /data /app
COPY --from=build /install /usr/local
COPY data /app/data
WORKDIR /app
USER knalle
VOLUME ["/data"]
EXPOSE 3000
# /healthz on the port Knalle listens on (KNALLE_PORT, as `docker run -e KNALLE_PORT=8080` sets it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('KNALLE_PORT') or '3000'; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["knalle"]
CMD ["serve"]
