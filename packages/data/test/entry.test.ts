import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

// Every module specifier `file` imports or re-exports, and the same for the local modules it
// reaches.
function reachableImports(file: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>();
  if (seen.has(file)) return specifiers;
  seen.add(file);
  // Without comments: TSDoc examples import things the module itself does not.
  const text = readFileSync(join(src, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  for (const [, spec] of text.matchAll(/(?:import|export)[^;]*?from\s+"([^"]+)"/g)) {
    if (spec === undefined) continue;
    if (spec.startsWith("./")) {
      for (const s of reachableImports(spec.slice(2).replace(/\.js$/, ".ts"), seen)) specifiers.add(s);
    } else {
      specifiers.add(spec);
    }
  }
  return specifiers;
}

describe("entry points", () => {
  it("the root entry reaches no Node built-in, so a browser page can import parseIdx", () => {
    const external = [...reachableImports("index.ts")];
    expect(external).toContain("@tapegrad/core");
    expect(external.filter((s) => s.startsWith("node:"))).toEqual([]);
  });

  it("the node entry is where loadMnist and its file access live", () => {
    expect([...reachableImports("node.ts")]).toContain("node:fs/promises");
  });
});
