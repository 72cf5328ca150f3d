# One image for every tgpulse process (worker, CLI); the command picks which.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY samples ./samples
# Sessions and artifacts live on volumes, never in the image.
RUN mkdir -p /data /out && chown node:node /data /out
USER node
ENV DATA_DIR=/data OUTPUT_DIR=/out
CMD ["node", "-r", "tsx/cjs", "src/workers/main.ts"]
