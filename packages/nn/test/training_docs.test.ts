import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it, vi } from "vitest";

// docs/training.md promises that every ```ts block runs as written: run each one.
const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(join(here, "../../../docs/training.md"), "utf8");
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({
  source: m[1] as string,
  section:
    doc
      .slice(0, m.index)
      .match(/^## (.*)$/gm)
      ?.at(-1)
      ?.slice(3) ?? "intro",
}));
// Under node_modules (git-ignored), where "@tapegrad/*" resolve to the built packages as they
// would for a user; vitest leaves node_modules files to Node, so the blocks are transpiled first.
const dir = join(here, "../node_modules/.docs-blocks");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/training.md", () => {
  it("has code blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });
  blocks.forEach(({ source, section }, i) => {
    it(`block ${i + 1} runs (${section})`, async () => {
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `block_${i}.mjs`);
      writeFileSync(file, js);
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        await import(pathToFileURL(file).href);
      } finally {
        log.mockRestore();
      }
    });
  });
});
