# One image for the Settle API and the Settle worker (docker-compose.yml picks the command).
FROM node:20-slim AS deps
WORKDIR /app
# better-sqlite3 (loaded by prisma.config.ts) builds from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# What `npm ci` needs, postinstall included (scripts/prisma-generate.sh generates both Prisma clients;
# the console is built below, once the sources are in).
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/postinstall.sh scripts/prisma-generate.sh ./scripts/
ENV SETTLE_SKIP_CONSOLE_BUILD=1
RUN npm ci

# The agent console: its typed client from the API's own routes, then the Vite bundle.
FROM deps AS console
COPY . .
RUN npx --no-install tsx scripts/build-console.ts

FROM deps AS runtime-deps
RUN npm prune --omit=dev && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=deps /app/prisma/generated ./prisma/generated
COPY . .
COPY --from=console /app/console/dist ./console/dist
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
