import {
  add,
  clone,
  formatShape,
  MemoryScope,
  reshape,
  type Shape,
  shapesEqual,
  sum,
  type Tensor,
  zeros,
} from "@tapegrad/core";
import { GradientError } from "./errors.js";
import type { TapeRecord } from "./rule.js";
import type { Tape } from "./tape.js";

/**
 * Sums a cotangent of a broadcast shape back to the shape of the input that was broadcast:
 * over the leading axes the input lacked and the axes where it had size 1. This is the only
 * place broadcasting is undone; no rule has to think about it.
 *
 * @example
 * ```ts
 * unbroadcast(ones([4, 3]), [1, 3]); // [[4, 4, 4]]
 * ```
 */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  let fits = lead >= 0;
  for (let k = 0; fits && k < g.rank; k++) {
    const d = k < lead ? 1 : (shape[k - lead] as number);
    if (k < lead || (d === 1 && g.shape[k] !== 1)) axes.push(k);
    else fits = d === g.shape[k];
  }
  if (!fits) {
    throw new GradientError(
      `a gradient of shape ${formatShape(g.shape)} does not sum to its input's ${formatShape(shape)}`,
    );
  }
  using summed = sum(g, axes);
  return reshape(summed, shape);
}

/**
 * The reverse sweep: walks `tape` from its last record to its first, handing each op the
 * cotangent of its output and accumulating the cotangents it returns per input — the δ
 * recursion of backpropagation, for any graph. Takes ownership of `seed` (the cotangent of
 * the tensor with id `outputId`); returns fresh gradients for `sources` (zeros where the
 * output does not depend on a source). Every intermediate cotangent is freed as soon as it
 * has been used.
 *
 * @example
 * ```ts
 * const [dx] = backward(tape, y.id, onesLike(y), [x]);
 * ```
 */
export function backward(tape: Tape, outputId: number, seed: Tensor, sources: readonly Tensor[]): Tensor[] {
  const cotangents = new Map<number, Tensor>([[outputId, seed]]);
  try {
    for (let i = tape.records.length - 1; i >= 0; i--) {
      const record = tape.records[i] as TapeRecord;
      const dy = cotangents.get(record.outputHandle.id);
      if (dy === undefined) continue;
      cotangents.delete(record.outputHandle.id);
      try {
        propagate(record, dy, tape.watched, cotangents);
      } finally {
        dy.dispose();
      }
    }
    return sources.map((s) => {
      const g = cotangents.get(s.id);
      return g === undefined ? zeros(s.shape, s.dtype) : clone(g);
    });
  } finally {
    for (const g of cotangents.values()) g.dispose();
  }
}

/** Runs one record's rule and adds what it returns to its inputs' cotangents. */
function propagate(
  record: TapeRecord,
  dy: Tensor,
  watched: ReadonlySet<number>,
  cotangents: Map<number, Tensor>,
): void {
  const needs = record.inputs.map((x) => watched.has(x.id));
  // The rule's intermediates live in this scope and die with it; what it returns is kept. A
  // returned tensor the rule did not make (dy itself, a saved input, a repeat) is cloned, so
  // the sweep owns every cotangent it frees.
  const scope = new MemoryScope();
  try {
    const grads = scope.run(() => record.rule.backward(dy, record, needs));
    if (grads.length !== record.inputs.length) {
      throw new GradientError(
        `${record.op}: its backward returned ${grads.length} gradients for ${record.inputs.length} inputs`,
      );
    }
    grads.forEach((g, i) => {
      if (!needs[i] || g === null || g === undefined) return;
      const before = scope.size;
      scope.keep(g);
      const owned = scope.size < before ? g : clone(g);
      accumulate(cotangents, record.inputs[i] as Tensor, fit(record, i, owned));
    });
  } finally {
    scope.dispose();
  }
}

/** Checks a returned gradient's dtype and sums it to its input's shape. */
function fit(record: TapeRecord, i: number, g: Tensor): Tensor {
  const x = record.inputs[i] as Tensor;
  if (shapesEqual(g.shape, x.shape) && g.dtype === x.dtype) return g;
  try {
    if (g.dtype !== x.dtype) throw new GradientError(`it has dtype ${g.dtype}`);
    return unbroadcast(g, x.shape);
  } catch (e) {
    const why = e instanceof GradientError ? e.message : String(e);
    throw new GradientError(
      `${record.op}: the gradient for input ${i} is ${g.describe()}, expected ${x.describe()}: ${why}`,
    );
  } finally {
    g.dispose();
  }
}

function accumulate(cotangents: Map<number, Tensor>, x: Tensor, g: Tensor): void {
  const previous = cotangents.get(x.id);
  if (previous === undefined) {
    cotangents.set(x.id, g);
    return;
  }
  cotangents.set(x.id, add(previous, g));
  previous.dispose();
  g.dispose();
}
