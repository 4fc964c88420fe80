#!/usr/bin/env node
// Throughput of the WebAssembly SIMD matmul (src/wasm) against a naive JS triple loop.
// Not a test: prints GFLOP/s per shape and transpose case, for tuning and reports.
//
//   cd packages/backend-cpu && node scripts/bench-wasm.mjs [--relaxed] [--kc=256] [--mc=256]
//
// The TypeScript sources are transpiled on the fly (typescript's transpileModule) into a
// temporary folder, so the bench needs neither a package build nor a TS loader. Timings
// include copying operands into wasm memory and the result out, as callers will see them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const src = join(dirname(fileURLToPath(import.meta.url)), "../src/wasm");
const tmp = mkdtempSync(join(tmpdir(), "tapegrad-wasm-bench-"));
for (const name of ["index", "matmul_bytes"]) {
  const out = ts.transpileModule(readFileSync(join(src, `${name}.ts`), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(join(tmp, `${name}.js`), out.outputText);
}
const { createWasmKernels } = await import(pathToFileURL(join(tmp, "index.js")).href);
rmSync(tmp, { recursive: true });

const arg = (name, dflt) => {
  const hit = process.argv.find((s) => s.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : dflt;
};
const wk = createWasmKernels({
  relaxed: process.argv.includes("--relaxed"),
  kcMax: arg("kc", undefined),
  mcMax: arg("mc", undefined),
});
if (!wk) throw new Error("WebAssembly SIMD unavailable");

function naive(a, b, out, m, k, n, tA, tB) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[tA ? p * m + i : i * k + p] * b[tB ? j * k + p : p * n + j];
      out[i * n + j] = s;
    }
  }
}

/** Best-of-5 GFLOP/s, each sample repeating the call for ~minMs. */
function gflops(fn, flop, minMs) {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    if (performance.now() - t0 > minMs / 4) break;
    reps *= 2;
  }
  let best = 0;
  for (let s = 0; s < 5; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    best = Math.max(best, (flop * reps) / ((performance.now() - t0) * 1e6));
  }
  return best;
}

const cases = [
  [256, 784, 128, false, false, "forward X·W (784->128)"],
  [256, 128, 784, false, false, "forward X·W (128->784)"],
  [784, 256, 128, true, false, "dW = Xᵀ·G"],
  [256, 128, 784, false, true, "dX = G·Wᵀ"],
  [128, 256, 784, true, false, "dW = Xᵀ·G (128x784)"],
  [256, 784, 128, false, true, "dX = G·Wᵀ (784<-128)"],
  [256, 784, 128, true, true, "Aᵀ·Bᵀ"],
  [256, 128, 64, false, false, "forward 128->64"],
  [128, 256, 64, true, false, "dW 128x64"],
  [256, 64, 128, false, true, "dX 256x128 (k=64)"],
  [512, 512, 512, false, false, ""],
  [512, 512, 512, true, false, ""],
  [512, 512, 512, false, true, ""],
  [1024, 1024, 1024, false, false, ""],
  [1024, 1024, 1024, true, false, ""],
  [1024, 1024, 1024, false, true, ""],
];
console.log(`relaxed-simd: ${wk.relaxed}`);
console.log("   M    K    N  tA tB   wasm GFLOP/s  naive JS GFLOP/s  note");
for (const [m, k, n, tA, tB, note] of cases) {
  const a = Float32Array.from({ length: m * k }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => Math.random() - 0.5);
  const out = new Float32Array(m * n);
  const flop = 2 * m * k * n;
  const w = gflops(() => wk.matmulF32(a, 0, b, 0, out, 0, m, k, n, tA, tB), flop, 300);
  const j = m * k * n > 3e8 ? NaN : gflops(() => naive(a, b, out, m, k, n, tA, tB), flop, 300);
  const f = (x) => (Number.isNaN(x) ? "-" : x.toFixed(2)).padStart(8);
  console.log(
    `${String(m).padStart(4)} ${String(k).padStart(4)} ${String(n).padStart(4)}  ${tA ? "T" : "-"}  ${tB ? "T" : "-"}   ${f(w)}       ${f(j)}          ${note}`,
  );
}

// fused epilogue and elementwise helper
{
  const m = 256,
    k = 128,
    n = 784;
  const a = Float32Array.from({ length: m * k }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => Math.random() - 0.5);
  const bias = Float32Array.from({ length: n }, () => Math.random() - 0.5);
  const out = new Float32Array(m * n);
  for (const act of [1, 2, 3]) {
    const g = gflops(
      () => wk.matmulBiasActF32(a, 0, b, 0, out, 0, m, k, n, false, false, bias, act),
      2 * m * k * n,
      300,
    );
    console.log(`matmulBiasAct 256x128x784 act=${act}: ${g.toFixed(2)} GFLOP/s`);
  }
  const x = Float32Array.from({ length: 1e6 }, () => Math.random() - 0.5);
  const y = new Float32Array(1e6);
  const bias1k = Float32Array.from({ length: 1000 }, () => Math.random());
  for (const act of [1, 2, 3]) {
    const melem = gflops(() => wk.biasActF32(x, 0, y, 0, 1000, 1000, bias1k, act), 1e6, 300) * 1e3;
    console.log(`biasActF32 10^6 floats act=${act}: ${melem.toFixed(0)} Melem/s (incl. copy in/out)`);
  }
}
