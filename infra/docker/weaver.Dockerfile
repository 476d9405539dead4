# syntax=docker/dockerfile:1.7
# The weaver image: where a job's tools run (`loom weaver-agent`, exec'd by the worker), with the
# tools a coding agent needs: Node 20, git, ripgrep, build-essential, Python 3, curl, jq.
# Build from the repository root:
#   docker build -f infra/docker/weaver.Dockerfile -t registry.example.com/loom/loom-weaver:0.1.0 .
# It holds no credential and needs none: the repository comes in and goes out as git bundles over
# the exec stream. Pods run it as uid 1000 with a read-only root; /workspace and /tmp are emptyDirs.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /opt/loom
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# The full Debian-based Node image: gcc, make, python3, git, curl and friends are already there.
FROM node:20-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ripgrep tini jq zip unzip \
 && rm -rf /var/lib/apt/lists/* \
 && corepack enable
WORKDIR /opt/loom
COPY --from=dependencies /opt/loom/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY queue ./queue
COPY bots ./bots
RUN chmod 0755 src/cli/loom.js && ln -s /opt/loom/src/cli/loom.js /usr/local/bin/loom \
 && mkdir -p /workspace && chown 1000:1000 /workspace
# Everything writable lives in /tmp (an emptyDir in the pod): home, npm cache, tsx's compile cache.
ENV HOME=/tmp \
    TMPDIR=/tmp \
    LANG=C.UTF-8 \
    npm_config_cache=/tmp/.npm \
    npm_config_update_notifier=false
USER 1000:1000
WORKDIR /workspace
# tini stays PID 1 and reaps what exec'd commands leave behind; the pod spec supplies the command
# (a warm-up run of the agent, then sleep).
ENTRYPOINT ["tini", "--"]
CMD ["sleep", "infinity"]
