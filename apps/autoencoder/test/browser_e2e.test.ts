// Drives the browser demo (web/) end to end: a Vite dev server on a free port, headless
// Chromium with SwiftShader's WebGL2, Start, some training steps, Stop; then checks that the
// loss fell and that reconstructions were drawn, and saves a screenshot to runs/.
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright";
import { PNG } from "pngjs";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoState } from "../web/demo_state.js";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");

declare const tapegradDemo: DemoState;

let server: ViteDevServer | undefined;
let browser: Browser | undefined;
let url = "";

beforeAll(async () => {
  server = await createServer({
    configFile: join(appDir, "vite.web.config.ts"),
    // No file watching and no HMR: another build writing a package's dist/ mid-test would
    // otherwise reload the page and restart training under the test's feet.
    server: { port: 0, host: "127.0.0.1", hmr: false, watch: null },
    logLevel: "error",
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null | undefined;
  if (address == null) throw new Error("the Vite dev server did not start listening");
  url = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    // Debian's chromium; Playwright's own browser download is not available here.
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-gpu-sandbox"],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe("browser demo", () => {
  it("trains the L2-like autoencoder on WebGL: the loss falls and reconstructions are drawn", async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1240, height: 640 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector("#start:not([disabled])", { timeout: 30_000 });
    expect(await page.evaluate(() => tapegradDemo.backend)).toBe("webgl");
    expect(await page.locator("#notice").isHidden()).toBe(true);

    await page.click("#start");
    // 30 steps are enough for the loss to fall well; SwiftShader manages ~1.4 steps/s on an idle
    // core, so the wait allows for a CI machine busy with the other test files.
    await page.waitForFunction(() => tapegradDemo.steps >= 30 && tapegradDemo.reconstructions >= 2, null, {
      timeout: 100_000,
    });
    expect(await page.locator("#status").textContent()).toMatch(/^training L2 on webgl until you press Stop: step \d+/);
    await page.click("#stop");
    // Start comes back once the loop has finished its last step and final reconstruction.
    await page.waitForSelector("#start:not([disabled])", { timeout: 10_000 });

    expect(await page.locator("#status").textContent()).toMatch(/^stopped after \d+ steps/);
    const state = await page.evaluate(() => tapegradDemo);
    expect(state.error).toBeNull();
    expect(errors).toEqual([]);
    expect(mean(state.losses.slice(-5))).toBeLessThan(0.8 * mean(state.losses.slice(0, 5)));

    // The bottom half of the canvas, as rendered, holds the reconstructions: dark strokes on
    // white paper.
    const png = PNG.sync.read(await page.locator("#recon").screenshot());
    const shades = { ink: 0, paper: 0 };
    for (let y = Math.ceil(png.height / 2); y < png.height - 1; y++) {
      for (let x = 1; x < png.width - 1; x++) {
        const v = png.data[4 * (y * png.width + x)] as number;
        if (v < 100) shades.ink++;
        else if (v > 200) shades.paper++;
      }
    }
    expect(shades.ink).toBeGreaterThan(500);
    expect(shades.paper).toBeGreaterThan(5000);

    await mkdir(join(appDir, "runs"), { recursive: true });
    await page.screenshot({ path: join(appDir, "runs", "browser-demo.png"), fullPage: true });
    console.log(
      `browser demo: ${state.steps} steps on ${state.backend}, loss ${state.losses[0]?.toFixed(4)} → ` +
        `${state.losses[state.losses.length - 1]?.toFixed(4)}; ink ${shades.ink} px, paper ${shades.paper} px`,
    );
  }, 180_000);

  it("without WebGL2 says so and offers the CPU backend", async () => {
    const page = await (browser as Browser).newPage();
    // A browser without WebGL2: the page must explain, not fail.
    await page.addInitScript({
      content: `for (const C of [HTMLCanvasElement, OffscreenCanvas]) {
        const original = C.prototype.getContext;
        C.prototype.getContext = function (id, ...rest) {
          return id === "webgl2" ? null : original.call(this, id, ...rest);
        };
      }`,
    });
    await page.goto(url);
    await page.waitForSelector("#start:not([disabled])", { timeout: 30_000 });
    expect(await page.evaluate(() => tapegradDemo.backend)).toBe("cpu");
    expect(await page.locator("#notice").textContent()).toMatch(/WebGL2 .* not available .* CPU backend/);
    expect(await page.locator("#backend").inputValue()).toBe("cpu");
    expect(await page.locator('#backend option[value="webgl"]').isDisabled()).toBe(true);
    await page.close();
  });
});
