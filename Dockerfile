# Lockstep GitHub App: docker build -t lockstep . && docker run --env-file .env -p 3000:3000 lockstep
# See docs/deploy.md for the environment it needs.

# --- build: compile TypeScript and the re2 native addon, then drop dev dependencies
FROM node:20-slim AS build
# re2 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# The "prepare" script builds from src/, which is not copied yet: install first, build below.
RUN npm ci --ignore-scripts && npm rebuild re2
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# --- runtime: production dependencies, compiled code and data only, as a non-root user
FROM node:20-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
# Owned by root and read-only for the app: the process cannot rewrite its own code.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY bin ./bin
COPY checklists ./checklists
COPY schemas ./schemas
COPY app.yml package.json ./
USER node
EXPOSE 3000
# node:20-slim has no curl; Node's own fetch asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/server.js"]
