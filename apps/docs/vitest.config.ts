import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "docs",
    environment: "node",
    include: ["test/**/*.test.ts"],
    // Guide blocks train small models and the site test may build the site first; the machine
    // is a busy 2-core box.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
