import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "data",
    include: ["test/**/*.test.ts"],
    // Reading and converting the 47 MB training file takes a few seconds on a busy 2-core box.
    testTimeout: 30_000,
  },
});
