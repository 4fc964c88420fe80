import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dispose, liveTensors, setDebugMode } from "@tapegrad/core";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

// Every ```ts block in docs/*.md and README.md is a complete program that must run as written.
// Blocks that are deliberately not runnable use another fence (```ts-snippet, ```text, ```sh).
const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
// Inside the repository (and git-ignored), so "@tapegrad/*" imports resolve through
// node_modules to the built packages, as they would for a user; vite transpiles the TypeScript.
const cache = join(root, "apps/docs/.guide-cache");

interface Block {
  readonly doc: string;
  readonly index: number;
  readonly line: number;
  readonly source: string;
}

function blocksOf(path: string): Block[] {
  const text = readFileSync(path, "utf8");
  const doc = relative(root, path);
  return [...text.matchAll(/^```ts[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm)].map((m, index) => ({
    doc,
    index,
    line: text.slice(0, m.index).split("\n").length,
    source: m[1] ?? "",
  }));
}

const docs = [
  join(root, "README.md"),
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(root, "docs", f)),
];

afterAll(() => rmSync(cache, { recursive: true, force: true }));
// Each block is a program of its own: start the next one from a clean engine, as a new
// process would (the counts that blocks print from memory() depend on it).
afterEach(() => {
  setDebugMode(false);
  dispose(liveTensors());
});

describe("guide code blocks run", () => {
  it("finds the guides and their blocks", () => {
    expect(docs.length).toBeGreaterThan(5);
    expect(docs.flatMap(blocksOf).length).toBeGreaterThan(20);
  });

  for (const path of docs) {
    const blocks = blocksOf(path);
    if (blocks.length === 0) continue;
    describe(relative(root, path), () => {
      for (const block of blocks) {
        it(`block ${block.index + 1} (line ${block.line}) runs`, async () => {
          mkdirSync(cache, { recursive: true });
          const file = join(cache, `${basename(path, ".md")}_${block.index + 1}.ts`);
          writeFileSync(file, `// ${block.doc}:${block.line}\n${block.source}\nexport {};\n`);
          // GUIDES_OUTPUT=1 shows what the blocks print, to check the comments that quote it.
          const quiet = process.env.GUIDES_OUTPUT !== "1";
          const mocks = quiet
            ? [
                vi.spyOn(console, "log").mockImplementation(() => {}),
                vi.spyOn(console, "warn").mockImplementation(() => {}),
                vi.spyOn(process.stdout, "write").mockImplementation(() => true),
              ]
            : [];
          try {
            await import(/* @vite-ignore */ pathToFileURL(file).href);
          } finally {
            for (const m of mocks) m.mockRestore();
          }
        });
      }
    });
  }
});
