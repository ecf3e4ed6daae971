# userpools in a container: `docker build -t userpools .` then `docker run -p 9229:9229 userpools`
# (compose.yaml: with PostgreSQL and a seed). Local development mode unless USERPOOLS_PRODUCTION is set.
FROM python:3.11-slim

# Installed from this checkout (not an index): the image is the code it was built from.
COPY pyproject.toml README.md /src/
COPY src /src/src
RUN pip install --no-cache-dir /src && rm -rf /src \
    && useradd --system --uid 10001 --home-dir /data userpools \
    && mkdir -p /data && chown userpools /data

# /data holds the SQLite database and, in local development mode, the generated master key (.userpools/).
WORKDIR /data
VOLUME /data
USER userpools
ENV USERPOOLS_HOST=0.0.0.0 \
    USERPOOLS_PORT=9229 \
    USERPOOLS_DATABASE_URL=sqlite:////data/userpools.db
EXPOSE 9229
HEALTHCHECK --interval=5s --timeout=3s --retries=12 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9229/health', timeout=2)"]
ENTRYPOINT ["userpools"]
CMD ["serve"]
