# reelmaker: web or worker image (the command picks which; see compose.yaml).
FROM python:3.11-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng libespeak-ng1 fonts-noto-cjk fontconfig \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 reelmaker
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=reelmaker:reelmaker . .
USER reelmaker
ENV PYTHONUNBUFFERED=1 REELMAKER_VAR_DIR=/app/var
RUN mkdir -p /app/var
EXPOSE 8000
CMD ["gunicorn", "reelmaker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
