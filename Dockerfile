# Giftwire: a production image of the compiled server (and workers: same image, another command).
#   docker build -t giftwire .
#   docker run -e REDIS_URL=redis://redis:6379 -e JWT_SECRET=... -e ADMIN_TOKEN=... -p 3000:3000 giftwire
#   docker run ... giftwire node dist/workers/index.js
# Its RUN and CMD steps are run by server/test/production/build-and-image.test.ts (Docker does not run in CI).

# ---- build: every dependency, compile, bundle the pages, then drop the development dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled JavaScript and production dependencies only, as a non-root user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
ENV PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "dist/server/cli/healthcheck.js", "live"]
CMD ["node", "dist/server/index.js"]
