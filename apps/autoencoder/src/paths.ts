import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * A path as the user should see it: relative to the working directory when it lies below it,
 * absolute otherwise (a `../../..` chain is harder to follow than the absolute path).
 *
 * @example
 * ```ts
 * displayPath("/work/main/apps/autoencoder/runs/demo"); // "apps/autoencoder/runs/demo" from /work/main
 * ```
 */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
}

/**
 * The default output folder of a run: `apps/autoencoder/runs/<name>-<timestamp>` (gitignored).
 *
 * @example
 * ```ts
 * defaultOutDir("L2"); // ".../apps/autoencoder/runs/L2-20261129-142700"
 * ```
 */
export function defaultOutDir(name: string): string {
  return join(APP_DIR, "runs", `${name}-${timestamp()}`);
}
