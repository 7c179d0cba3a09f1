# One image for every app of the monorepo; APP picks what runs (ingress, worker, admin, cli, hde-sim).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY apps apps
COPY packages packages
RUN npm ci && npx turbo run build --output-logs=errors-only && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# The ingress's spool: a named volume mounted here copies this owner, so the app (user node) can
# write to it; a path the image lacks would come up owned by root.
RUN mkdir -p /spool && chown node:node /spool && chmod 700 /spool
ENV SPOOL_DIR=/spool
USER node
ARG APP=worker
ENV APP=${APP}
CMD ["sh", "-c", "if [ \"$APP\" = hde-sim ]; then exec node packages/hde-sim/dist/bin.js --host 0.0.0.0 --port 8090 --public-url http://hde-sim:8090 --seed demo; else exec node apps/$APP/dist/main.js; fi"]
