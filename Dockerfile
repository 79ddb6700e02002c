# One image for the Settle API and the Settle worker (docker-compose.yml picks the command).
FROM node:20-slim AS deps
WORKDIR /app
# better-sqlite3 (loaded by prisma.config.ts) builds from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# What `npm ci` needs, postinstall included (scripts/prisma-generate.sh generates both Prisma clients).
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.sh ./scripts/prisma-generate.sh
RUN npm ci && npm prune --omit=dev && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/prisma/generated ./prisma/generated
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
