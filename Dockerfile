# One image for every tgpulse process (general worker, account worker, userbot, web pages, CLI); the compose
# service's command picks which. TypeScript runs through tsx: there is no build step.
#
# Built with the npm this base image ships (npm 10 on Node 20): test/deploy/dockerfile.test.ts checks that it
# accepts package-lock.json.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so that a code change reuses this layer. Production dependencies only, exactly as locked.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY assets ./assets
COPY samples ./samples

# Sessions, artifacts and results live on named volumes mounted here, never in the image. Created owned by the
# node user (uid 1000), so a fresh volume starts owned by it too.
RUN mkdir -p /data/sessions /out \
    && chown -R node:node /data /out \
    && chmod 0700 /data/sessions

# uid 1000 is the image's `node` user: a host folder bind-mounted for writing must belong to uid 1000.
USER 1000:1000
ENV DATA_DIR=/data \
    OUTPUT_DIR=/out \
    SESSION_DIR=/data/sessions

EXPOSE 9464 9465 8080
CMD ["node", "-r", "tsx/cjs", "src/workers/main.ts"]
