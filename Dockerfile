# syntax=docker/dockerfile:1
# Atļauja's image: the api (default command) and the worker (command: node ... dist/apps/worker/src/main.js).
# Stage 1 compiles the TypeScript with the dev dependencies; stage 2 holds only the production
# dependencies and the compiled JavaScript, and runs as the unprivileged user `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/dist-aliases.js ./scripts/
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WORKER_PORT=3001 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The build makes the @atlauja/* libraries packages of dist/ (dist/node_modules): plain node resolves them.
COPY --from=build /app/dist ./dist
# DATA_DIR: notices and the trust archive (server mode); owned by the user the processes run as.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000 3001
# Liveness of whichever process runs: the api on PORT, the worker on WORKER_PORT (HEALTH_PORT picks).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
