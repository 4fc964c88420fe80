import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { type Browser, chromium } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The built site (apps/docs/dist) in headless Chromium: pages load without console errors, the
// search finds API symbols, and every link inside the site resolves.
const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const site = join(app, "dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** Builds the site when it is missing (the root test script does not run `pnpm run docs`). */
function ensureSite(): void {
  if (existsSync(join(site, "index.html"))) return;
  // typedoc's exports map hides bin/; find it beside the resolved main entry (dist/index.js).
  const typedoc = join(dirname(createRequire(join(app, "package.json")).resolve("typedoc")), "..", "bin", "typedoc");
  for (const args of [["scripts/support-matrix.mjs"], [typedoc]]) {
    const r = spawnSync(process.execPath, args, { cwd: app, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`building the site failed (node ${args.join(" ")}):\n${r.stdout}\n${r.stderr}`);
  }
}

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(site, path));
    if (!file.startsWith(site + sep) && file !== site) {
      res.writeHead(403).end();
      return;
    }
    if (path.endsWith("/")) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Typedoc's sidebar and search index are compressed JSON in assets/*.js; read their page paths. */
function embeddedPaths(asset: string, key: "navigationData" | "searchData"): string[] {
  const text = readFileSync(join(site, "assets", asset), "utf8");
  const encoded = new RegExp(`window\\.${key} = "([^"]+)"`).exec(text)?.[1];
  if (encoded === undefined) throw new Error(`assets/${asset}: no ${key}`);
  const data: unknown = JSON.parse(inflateSync(Buffer.from(encoded, "base64")).toString("utf8"));
  const paths: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if ((k === "path" || k === "url") && typeof v === "string") paths.push(v);
        else walk(v);
      }
    }
  };
  walk(key === "searchData" ? (data as { rows?: unknown }).rows : data);
  return paths;
}

let server: Server;
let browser: Browser;
let base: string;

beforeAll(async () => {
  ensureSite();
  server = await serve();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise((resolve) => server.close(resolve));
});

describe("the docs site", () => {
  it("loads the home page, a guide and an API page without console errors", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`${page.url()}: ${msg.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`);
    });
    const guide = embeddedPaths("navigation.js", "navigationData").find((p) => p.startsWith("documents/"));
    const api = embeddedPaths("search.js", "searchData").find((p) => p.startsWith("functions/"));
    expect(guide, "a guide in the sidebar").toBeDefined();
    expect(api, "a function page in the search index").toBeDefined();
    for (const path of ["index.html", guide, api, "modules.html"]) {
      const response = await page.goto(base + path, { waitUntil: "load" });
      expect(response?.status(), path).toBe(200);
      // The sidebar is filled in by script from assets/navigation.js.
      await page.waitForSelector(".tsd-navigation a", { timeout: 15_000 });
    }
    await page.close();
    expect(errors).toEqual([]);
  });

  it("finds valueAndGrad with the search box", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}index.html`, { waitUntil: "load" });
    await page.click("#tsd-search-trigger");
    await page.fill("#tsd-search-input", "valueAndGrad");
    const first = page.locator("#tsd-search-results li a").first();
    await first.waitFor({ timeout: 15_000 });
    const texts = await page.locator("#tsd-search-results li").allTextContents();
    expect(texts.some((t) => t.includes("valueAndGrad"))).toBe(true);
    const href = await page
      .locator("#tsd-search-results li a", { hasText: "valueAndGrad" })
      .first()
      .getAttribute("href");
    const response = await page.goto(new URL(href ?? "", page.url()).href);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toContain("valueAndGrad");
    await page.close();
  });

  it("resolves every internal link and image, anchors included", async () => {
    const pages = new Map<string, string>(); // url -> html
    const failures: string[] = [];
    const fetchPage = async (url: string): Promise<string | null> => {
      if (pages.has(url)) return pages.get(url) ?? null;
      const response = await fetch(url);
      if (!response.ok) return null;
      const html = response.headers.get("content-type")?.startsWith("text/html") ? await response.text() : "";
      pages.set(url, html);
      return html;
    };
    const seeds = [
      "index.html",
      ...embeddedPaths("navigation.js", "navigationData"),
      ...embeddedPaths("search.js", "searchData"),
    ].map((p) => new URL(p, base).href);
    const queue = [...new Set(seeds.map((u) => u.split("#")[0] as string))];
    const seen = new Set(queue);
    const links = seeds.map((to) => ({ from: "(sidebar or search index)", to }));
    while (queue.length > 0) {
      const url = queue.shift() as string;
      const html = await fetchPage(url);
      if (html === null) continue; // reported with the links to it below
      for (const m of html.matchAll(/<(?:a\b[^>]*?\bhref|img\b[^>]*?\bsrc)="([^"]*)"/g)) {
        const raw = (m[1] ?? "").replaceAll("&amp;", "&");
        if (raw === "" || raw === "#" || /^(mailto|javascript):/.test(raw)) continue;
        const target = new URL(raw, url);
        if (target.origin !== new URL(base).origin) continue;
        links.push({ from: url, to: target.href });
        const page = target.href.split("#")[0] as string;
        if (!seen.has(page)) {
          seen.add(page);
          queue.push(page);
        }
      }
    }
    for (const { from, to } of links) {
      const [page, fragment] = to.split("#") as [string, string | undefined];
      const html = await fetchPage(page);
      if (html === null) failures.push(`${from} -> ${to}: not found`);
      else if (fragment && html !== "") {
        const id = decodeURIComponent(fragment);
        if (!html.includes(`id="${id}"`) && !html.includes(`name="${id}"`)) {
          failures.push(`${from} -> ${to}: no anchor #${id}`);
        }
      }
    }
    expect(pages.size).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });
});
