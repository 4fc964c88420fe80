import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "autoencoder",
    include: ["test/**/*.test.ts"],
    // Training tests and the CLI child process are CPU-bound; give them room on a busy 2-core box.
    testTimeout: 60_000,
  },
});
