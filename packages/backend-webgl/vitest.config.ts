import { playwright } from "@vitest/browser-playwright";
import { defineProject } from "vitest/config";

// Debian's chromium; Playwright's own browser download is not available here.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineProject({
  test: {
    name: "backend-webgl",
    include: ["test/**/*.test.ts"],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--use-angle=swiftshader",
            "--enable-unsafe-swiftshader",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
