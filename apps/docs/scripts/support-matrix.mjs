// Generates apps/docs/generated/support-matrix.md from the registries of the built packages:
// core's OP_CATALOGUE, autograd's GRADIENT_RULES, the CPU backend's kernels and fused kernels,
// and the WebGL backend's kernel list. Nothing in the matrix is written by hand.
//
// How each column is decided:
// - kind, fused: the catalogue entry.
// - gradient: "rule" when GRADIENT_RULES has the op; "composed" for a differentiable composite
//   without its own rule (autograd differentiates the primitives it runs); "—" when the op is
//   not differentiable.
// - CPU / WebGL: every op is run once through core on a recording wrapper of the CPU backend
//   with fused kernels switched off, which lists the kernels it needs (a composite's needs are
//   those of the primitives it is made of). An op is supported on a backend that has every
//   kernel it needs. The CPU actually ran them; WebGL cannot start in Node, so its kernels are
//   read from the package: the kernel methods of `WebGLBackend.prototype`, with the op names
//   of parameterised kernels (unary, binary, reduce, argReduce) and the fused kernels taken
//   from its exported `WARMUP_OPS`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GRADIENT_RULES } from "@tapegrad/autograd";
import { cpu } from "@tapegrad/backend-cpu";
import * as webglPackage from "@tapegrad/backend-webgl";
import { BACKEND_KERNEL_METHODS, dispose, OP_CATALOGUE, setBackend, tensor } from "@tapegrad/core";

// Every export of core by name: each catalogue op is called through its function.
const core = new Map(Object.entries(await import("@tapegrad/core")));

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "generated", "support-matrix.md");

/** Kernel methods whose first argument names the op they compute. */
const PARAMETERISED = new Set(["unary", "binary", "reduce", "argReduce"]);

/** A CPU backend that records which kernels run (`unary:exp`, `matmul`, …) and fuses nothing. */
function recordingCpu() {
  const inner = cpu();
  const used = new Set();
  const backend = new Proxy(inner, {
    get(target, prop) {
      if (prop === "fused") return undefined;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (!BACKEND_KERNEL_METHODS.includes(prop)) return value.bind(target);
      return (...args) => {
        used.add(PARAMETERISED.has(prop) ? `${prop}:${args[0]}` : prop);
        return value.apply(target, args);
      };
    },
  });
  return { backend, used };
}

/** Arguments to call an op with; the first list that works is used. */
function candidateArgs(name) {
  const x = tensor([
    [0.5, -1.5],
    [2, 0.25],
  ]);
  const y = tensor([
    [1.5, 0.75],
    [-0.5, 3],
  ]);
  const v = tensor([0.1, -0.2]);
  const p = tensor([
    [0, 1],
    [1, 0],
  ]);
  const b = tensor([
    [true, false],
    [false, true],
  ]);
  const c = tensor([
    [false, false],
    [true, true],
  ]);
  const idx = tensor([1, 0, 1], { dtype: "int32" });
  const special = {
    cast: [[x, "int32"]],
    clip: [[x, -1, 1]],
    dense: [[x, y, v, "relu"]],
    tile: [[x, [2, 1]]],
    gather: [[x, idx]],
    scatterAdd: [
      [
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        idx,
        0,
        [2, 2],
      ],
    ],
    broadcastTo: [[v, [2, 2]]],
    reshape: [[x, [4]]],
    pad: [
      [
        x,
        [
          [1, 0],
          [0, 1],
        ],
      ],
    ],
    slice: [[x, [0, 0], [1, 2]]],
    squeeze: [[tensor([[1, 2]]), [0]]],
    split: [[x, 2]],
    where: [[b, x, y]],
    activationGrad: [[x, y, "relu"]],
    adamUpdate: [[x, y, p, p, { stepSize: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }]],
    sigmoidCrossEntropyWithLogits: [[x, p]],
  };
  return special[name] ?? [[x], [x, y], [[x, y]], [b], [b, c]];
}

/** Runs `name` through core on the recording CPU backend; returns the kernels it used. */
function traceOp(name) {
  const fn = core.get(name);
  if (typeof fn !== "function") throw new Error(`support-matrix: core exports no function "${name}"`);
  const { backend, used } = recordingCpu();
  setBackend(backend);
  const candidates = candidateArgs(name);
  const errors = [];
  try {
    for (const args of candidates) {
      used.clear();
      try {
        dispose(fn(...args));
        return [...used].sort();
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
  } finally {
    dispose(candidates);
  }
  throw new Error(`support-matrix: could not run "${name}" with any sample arguments:\n  ${errors.join("\n  ")}`);
}

/** The kernel keys the WebGL backend provides, read from the package without a GL context. */
function webglKernels() {
  const { WebGLBackend, WARMUP_OPS } = webglPackage;
  if (typeof WebGLBackend !== "function" || !Array.isArray(WARMUP_OPS)) {
    throw new Error("support-matrix: @tapegrad/backend-webgl no longer exports WebGLBackend and WARMUP_OPS");
  }
  const named = new Set(WARMUP_OPS);
  const keys = new Set();
  for (const method of BACKEND_KERNEL_METHODS) {
    if (typeof WebGLBackend.prototype[method] !== "function") continue;
    if (!PARAMETERISED.has(method)) keys.add(method);
  }
  for (const method of PARAMETERISED) {
    if (typeof WebGLBackend.prototype[method] !== "function") continue;
    for (const n of named) keys.add(`${method}:${n}`);
  }
  return { keys, fused: named };
}

function main() {
  const cpuBackend = cpu();
  const cpuFused = new Set(
    Object.keys(cpuBackend.fused ?? {}).filter((k) => typeof cpuBackend.fused[k] === "function"),
  );
  const webgl = webglKernels();
  const rows = [];
  let webglCount = 0;
  for (const op of OP_CATALOGUE) {
    // traceOp throws unless the CPU ran every kernel the op needs.
    const used = traceOp(op.name);
    const webglOk = used.every((k) => webgl.keys.has(k));
    const hasRule = GRADIENT_RULES.has(op.name);
    if (op.ownRule && !hasRule) throw new Error(`support-matrix: "${op.name}" needs a gradient rule and has none`);
    const gradient = hasRule ? "rule" : op.differentiable ? "composed" : "—";
    const fused = op.fused === undefined ? "—" : `\`${op.fused}\``;
    const kernels =
      used.length === 0
        ? "none (a view)"
        : used
            .map((k) => k.replace(/^[a-zA-Z]+:/, ""))
            .sort()
            .map((k) => `\`${k}\``)
            .join(" ");
    if (webglOk) webglCount++;
    rows.push(`| \`${op.name}\` | ${op.kind} | ${gradient} | ${fused} | ✓ | ${webglOk ? "✓" : "✗"} | ${kernels} |`);
  }
  // Every fused kernel the catalogue names or a backend provides.
  const fusedNames = [
    ...new Set([...OP_CATALOGUE.flatMap((op) => (op.fused === undefined ? [] : [op.fused])), ...cpuFused]),
  ].sort();
  const fusedRows = fusedNames.map((f) => {
    const ops = OP_CATALOGUE.filter((op) => op.fused === f).map((op) => `\`${op.name}\``);
    const yes = (b) => (b ? "✓" : "—");
    return `| \`${f}\` | ${ops.length > 0 ? ops.join(", ") : "(not in the catalogue)"} | ${yes(cpuFused.has(f))} | ${yes(webgl.fused.has(f))} |`;
  });
  const primitives = OP_CATALOGUE.filter((op) => op.kind === "primitive").length;
  const md = [
    "# Support matrix",
    "",
    "Generated at build time by `apps/docs/scripts/support-matrix.mjs` from the registries of the",
    "packages: the op catalogue of `@tapegrad/core`, the gradient rules of `@tapegrad/autograd`",
    "(`GRADIENT_RULES`) and the kernels of each backend. Do not edit it by hand.",
    "",
    `${OP_CATALOGUE.length} ops: ${primitives} primitives (backend kernels) and ${OP_CATALOGUE.length - primitives} composites (built from primitives in core, so`,
    `they run wherever their primitives do). CPU runs all of them, WebGL ${webglCount}.`,
    "",
    "- **gradient**: `rule`: autograd has a gradient rule for the op itself; `composed`: the op is",
    "  differentiated through the primitives it is made of; `—`: not differentiable (comparisons,",
    "  rounding, indices).",
    "- **fused**: the optional fused kernel a backend may provide for the op (see the table at the",
    "  end for which backends do). Results and gradients are the same with or without it.",
    "- **kernels**: the backend kernels the op runs (without fused kernels).",
    "",
    "| op | kind | gradient | fused | CPU | WebGL | kernels |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "## Fused kernels",
    "",
    "| fused kernel | used by | CPU | WebGL |",
    "| --- | --- | --- | --- |",
    ...fusedRows,
    "",
  ].join("\n");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, md);
  console.log(`support-matrix: ${OP_CATALOGUE.length} ops written to ${out}`);
}

main();
