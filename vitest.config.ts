import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the default excludes every `dist` folder; only the build output ./dist is meant (test/dist is a suite)
    exclude: [...configDefaults.exclude.filter((p) => p !== "**/dist/**"), "dist/**"],
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
