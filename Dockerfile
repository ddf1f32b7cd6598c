# Probant: one image for the API (`serve`), the job worker (`worker`) and migrations (`migrate`).
# Build: `make image` (docker or podman), or `docker build -t probant:dev .`.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim

# --- front-end sources: only the folders that exist (admin-ui/ may not yet) -------------------
FROM ${NODE_IMAGE} AS frontend-src
COPY . /ctx
# Copying the chosen folders out keeps `npm ci` below cached until a front-end file changes.
RUN mkdir -p /front \
 && for dir in capture-widget admin-ui graphiql; do \
      if [ -f "/ctx/$dir/package.json" ]; then cp -a "/ctx/$dir" /front/; fi; \
    done

# --- front-end build: every */package.json among capture-widget, admin-ui and graphiql ----------
FROM ${NODE_IMAGE} AS frontend
COPY --from=frontend-src /front /front
RUN mkdir -p /dist/capture-widget /dist/admin-ui /dist/graphiql \
 && for pkg in /front/*/package.json; do \
      [ -f "$pkg" ] || continue; \
      dir="$(dirname "$pkg")"; name="$(basename "$dir")"; \
      (cd "$dir" && npm ci --no-audit --no-fund && npm run build) || exit 1; \
      cp -a "$dir/dist/." "/dist/$name/"; \
    done

# --- Python build: a virtualenv with Probant and its dependencies ------------------------------
FROM ${PYTHON_IMAGE} AS python-build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Compilers stay in this stage: for any dependency without a wheel for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY platform platform
COPY tenants tenants
COPY graphql graphql
COPY migrations migrations
# `probant migrate` finds the migrations beside the installed package (probant_platform/migrations).
RUN pip install --upgrade pip \
 && pip install . \
 && site="$(python -c 'import pathlib, probant_platform; print(pathlib.Path(probant_platform.__file__).parent)')" \
 && cp -a migrations "$site/migrations" \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 && python -m compileall -q /opt/venv

# --- runtime: no compilers, non-root, read-only friendly -----------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# Pango/HarfBuzz and fonts for WeasyPrint (PDFs); PyAV's wheel bundles its FFmpeg libraries.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libjpeg62-turbo \
      fonts-dejavu-core fonts-liberation2 shared-mime-info ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 probant \
 && useradd --system --uid 10001 --gid probant --home-dir /var/lib/probant \
      --no-create-home --shell /usr/sbin/nologin probant \
 && mkdir -p /var/lib/probant \
 && chown probant:probant /var/lib/probant
COPY --from=python-build /opt/venv /opt/venv
COPY --from=frontend /dist/capture-widget /app/capture-widget/dist
COPY --from=frontend /dist/admin-ui /app/admin-ui/dist
COPY --from=frontend /dist/graphiql /app/graphiql/dist
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PROBANT_ENV=production \
    PROBANT_DATA_DIR=/var/lib/probant \
    PROBANT_WIDGET_DIST=/app/capture-widget/dist \
    PROBANT_APP_DIST=/app/admin-ui/dist \
    PROBANT_GRAPHIQL_DIST=/app/graphiql/dist
WORKDIR /var/lib/probant
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["probant"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
