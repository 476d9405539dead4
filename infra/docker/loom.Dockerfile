# syntax=docker/dockerfile:1.7
# The Loom image: `loom server`, `loom worker` or `loom start` (server, worker and scheduler in one
# process). Build from the repository root:
#   docker build -f infra/docker/loom.Dockerfile -t registry.example.com/loom/loom:0.1.0 .
# Loom runs its TypeScript through tsx (no build step), so the image holds the sources and the
# production dependencies. No secret is baked in: configuration comes from the environment.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /opt/loom
# better-sqlite3 compiles from source on install.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
# git: the worker keeps repository mirrors and makes bundles; tini: PID 1 that forwards SIGTERM
# (graceful shutdown releases running jobs) and reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/loom
COPY --from=dependencies /opt/loom/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY queue ./queue
COPY bots ./bots
RUN chmod 0755 src/cli/loom.js && ln -s /opt/loom/src/cli/loom.js /usr/local/bin/loom \
 && mkdir -p /var/lib/loom && chown 1000:1000 /var/lib/loom
ENV NODE_ENV=production \
    LOOM_DATA_DIR=/var/lib/loom \
    PORT=3000
# The `node` user of the base image (uid 1000); the manifests run it with a read-only root.
USER 1000:1000
EXPOSE 3000
ENTRYPOINT ["tini", "--", "loom"]
CMD ["start"]
