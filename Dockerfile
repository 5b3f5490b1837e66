# reelmaker: web or worker image (the command picks which; see compose.yaml).
FROM python:3.11-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng libespeak-ng1 fonts-noto-cjk fonts-thai-tlwg fontconfig \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 reelmaker
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=reelmaker:reelmaker . .
USER reelmaker
ENV PYTHONUNBUFFERED=1 REELMAKER_VAR_DIR=/app/var
RUN mkdir -p /app/var && DEBUG=1 python manage.py collectstatic --noinput -v 0
EXPOSE 8000
# gunicorn.conf.py: uvicorn workers (ASGI) on $PORT (8000), WEB_CONCURRENCY processes.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "reelmaker.asgi:application"]
