import type { Tensor, Variable } from "@tapegrad/core";
import { Dense } from "./layers/dense.js";
import { Maxout } from "./layers/maxout.js";
import { Sequential } from "./layers/sequential.js";
import type { Module } from "./module.js";
import { traceShape } from "./trace.js";

interface Row {
  name: string;
  type: string;
  shape: string;
  params: number;
}

/** 1234567 → "1,234,567", independent of the host's locale. */
function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** As Python prints a shape tuple: `(None, 128)`, `(None,)`; -1 is the unknown `None`. */
function formatTuple(shape: readonly number[] | undefined): string {
  if (shape === undefined) return "?";
  const dims = shape.map((d) => (d === -1 ? "None" : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

/** "LeakyReLU" → "leaky_re_lu", "Dense" → "dense": Keras' default layer names. */
function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

function countParams(tensors: readonly Tensor[]): number {
  return tensors.reduce((n, t) => n + t.size, 0);
}

/** The per-example input shape a model announces by its first Dense layer, if it does. */
function inferInputShape(model: Module): number[] | undefined {
  if (model instanceof Dense) return [model.inFeatures];
  if (model instanceof Maxout) return [model.dense.inFeatures];
  if (model instanceof Sequential && model.layers[0] !== undefined) return inferInputShape(model.layers[0]);
  return undefined;
}

/** Keras-style unique names within one table: dense, dense_1, dense_2, … */
function namer(): (type: string) => string {
  const counts = new Map<string, number>();
  return (type) => {
    const base = snakeCase(type);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  };
}

function sequentialRows(model: Sequential, input: number[] | undefined): Row[] {
  const name = namer();
  let shape = input;
  return model.layers.map((layer) => {
    shape = shape === undefined ? undefined : layer.outputShape(shape);
    const type = layer.constructor.name;
    return { name: name(type), type, shape: formatTuple(shape), params: countParams(Object.values(layer.stateDict())) };
  });
}

/**
 * For a model whose forward wires its children in its own way: one row per child, each output
 * shape recorded by running the model once (batch 1) with the children's forward observed.
 */
function tracedRows(model: Module, input: number[] | undefined): Row[] {
  const children = model.children();
  const shapes = new Map<Module, number[]>();
  if (input !== undefined) {
    const patched = children.map(([, child]) => {
      const own = Object.getOwnPropertyDescriptor(child, "forward");
      const original = child.forward;
      Object.defineProperty(child, "forward", {
        configurable: true,
        enumerable: false,
        writable: true,
        value: (x: Tensor): Tensor => {
          const y = original.call(child, x);
          shapes.set(child, [-1, ...y.shape.slice(1)]);
          return y;
        },
      });
      return { child, own };
    });
    try {
      traceShape(model, input);
    } finally {
      for (const { child, own } of patched) {
        if (own === undefined) delete (child as { forward?: unknown }).forward;
        else Object.defineProperty(child, "forward", own);
      }
    }
  }
  const rows: Row[] = children.map(([name, child]) => ({
    name,
    type: child.constructor.name,
    shape: formatTuple(shapes.get(child)),
    params: countParams(Object.values(child.stateDict())),
  }));
  const inChildren = new Set<Tensor>(children.flatMap(([, c]) => Object.values(c.stateDict())));
  const own = Object.values(model.stateDict()).filter((t) => !inChildren.has(t));
  if (own.length > 0 || children.length === 0) {
    const type = model.constructor.name;
    rows.push({
      name: children.length === 0 ? snakeCase(type) : "(own parameters)",
      type,
      shape: children.length === 0 && input !== undefined ? formatTuple(model.outputShape(input)) : "",
      params: countParams(own),
    });
  }
  return rows;
}

/**
 * A Keras-style summary table of a model: one row per layer with its name, type, output shape
 * (`None` for the batch) and parameter count, then the totals of all, trainable and
 * non-trainable parameters. A shared parameter counts once in the totals.
 *
 * `inputShape` is one example's shape, without the batch (`[784]`); a model that starts with a
 * Dense layer announces it itself. A Sequential's output shapes come from each layer's
 * `outputShape`, without running anything; for other models the rows are the child modules and
 * their shapes are observed in one forward pass on zeros.
 *
 * @example
 * ```ts
 * const model = sequential(
 *   new Dense(784, 128, { activation: "relu" }),
 *   new Dense(128, 64, { activation: "relu" }),
 *   new Dense(64, 128, { activation: "relu" }),
 *   new Dense(128, 784, { activation: "sigmoid" }),
 * );
 * console.log(summary(model)); // … Total params: 218,192
 * ```
 */
export function summary(model: Module, inputShape?: readonly number[]): string {
  const perExample = inputShape === undefined ? inferInputShape(model) : [...inputShape];
  const input = perExample === undefined ? undefined : [-1, ...perExample];
  const rows = model instanceof Sequential ? sequentialRows(model, input) : tracedRows(model, input);
  const all = Object.values(model.stateDict()) as Variable[];
  const total = countParams(all);
  const trainable = countParams(all.filter((v) => v.trainable));

  const cells = rows.map((r) => [`${r.name} (${r.type})`, r.shape, withCommas(r.params)] as const);
  // Keras' column stops for sequential models (0.45 and 0.85 of 65), widened to fit.
  const w0 = Math.max(29, ...cells.map((c) => c[0].length + 1));
  const w1 = Math.max(26, ...cells.map((c) => c[1].length + 1));
  const w2 = Math.max(10, ...cells.map((c) => c[2].length));
  const width = w0 + w1 + w2;
  const line = (a: string, b: string, c: string) => (a.padEnd(w0) + b.padEnd(w1) + c).trimEnd();
  const thin = "_".repeat(width);
  const thick = "=".repeat(width);

  const out = [
    `Model: "${snakeCase(model.constructor.name)}"`,
    thin,
    line("Layer (type)", "Output Shape", "Param #"),
    thick,
  ];
  cells.forEach((c, i) => {
    out.push(line(c[0], c[1], c[2]));
    out.push(i === cells.length - 1 ? thick : thin);
  });
  if (cells.length === 0) out.push(thick);
  out.push(`Total params: ${withCommas(total)}`);
  out.push(`Trainable params: ${withCommas(trainable)}`);
  out.push(`Non-trainable params: ${withCommas(total - trainable)}`);
  out.push(thin);
  return out.join("\n");
}

/**
 * Prints {@link summary} to the console.
 *
 * @example
 * ```ts
 * printSummary(model, [784]);
 * ```
 */
export function printSummary(model: Module, inputShape?: readonly number[]): void {
  console.log(summary(model, inputShape));
}
