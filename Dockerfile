# syntax=docker/dockerfile:1
# The dashboard image: the same `start` command as `npm start`, with the web UI built here so the
# container never builds at start-up. Build: docker build -t hubble-dashboard .
ARG NODE_IMAGE=node:20-bookworm-slim

# Every dependency, for the build. Install scripts stay off: the only ones that matter are Prisma's
# (an engine download this image never uses, and `prisma generate`, which needs the schema and runs
# in the build stage) and esbuild's binary check.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# Only what runs: no TypeScript compiler, test runners or browsers in the final image.
FROM ${NODE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/true
COPY . .
RUN npx prisma generate \
 && npx next build \
 && rm -rf .next/cache

FROM ${NODE_IMAGE} AS runtime
# Every interface, as a container must. The dashboard then refuses to start until it is told what
# guards the port: HUBBLE_DASHBOARD_AUTH=proxy, or HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED=true
# behind a loopback-only port mapping or a network policy (docker-compose.yml, deploy/kubernetes).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    HUBBLE_DASHBOARD_OBSERVER_ADDR=0.0.0.0:4245 \
    HUBBLE_DASHBOARD_DATA_DIR=/data
# /data holds the embedded database when DATABASE_URL is unset: mount a volume there to keep it.
RUN groupadd --system --gid 10001 hubble \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin hubble \
 && mkdir -p /data \
 && chown 10001:10001 /data
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/next.config.ts /app/tsconfig.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/lib ./lib
COPY --from=build /app/proto ./proto
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/server ./server
COPY --from=build /app/.next ./.next
# The build must look fresh to `start` (server/web-build.ts compares it with the sources by time),
# or the container would try to rebuild into a read-only folder: date it now, then prove it.
RUN touch .next/BUILD_ID \
 && node --import tsx -e "import('./server/web-build.ts').then((m) => { if (!m.webBuildIsFresh()) { console.error('the web build looks stale'); process.exit(1); } })" \
 && mkdir -p .next/cache \
 && chown 10001:10001 .next/cache
USER 10001:10001
EXPOSE 3000 4245
# Ready means the database answers, migrations are applied and the collector runs (GET /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/hubble-dashboard.mjs", "start"]
