# paychaos (harness, simulators, reference gateway) for docker-compose.yml. Node 20.19: the
# engines field and .npmrc engine-strict refuse older. The build needs the sources (npm ci runs
# `prepare`, which compiles), so everything is copied first; .dockerignore keeps node_modules,
# dist and .git out.
FROM node:20.19-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
