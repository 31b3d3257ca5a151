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
    TZ=Europe/Stockholm
RUN useradd --system --uid 10001 --home-dir /app knalle \
    && mkdir -p /data /app && chown knalle /data /app
COPY --from=build /install /usr/local
COPY data /app/data
WORKDIR /app
USER knalle
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:3000/healthz').status==200 else 1)" || exit 1
ENTRYPOINT ["knalle"]
CMD ["serve"]
