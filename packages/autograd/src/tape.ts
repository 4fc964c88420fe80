import {
  clone,
  isFloat,
  keep,
  type OpAttrs,
  type OpObserver,
  opInfo,
  setOpObserver,
  type Tensor,
} from "@tapegrad/core";
import { GradientError } from "./errors.js";
import { type GradientRule, TapeRecord } from "./rule.js";
import { GRADIENT_RULES } from "./rules/index.js";

/**
 * The ops of one gradient computation: it watches its sources (the tensors being
 * differentiated) and every output it records from them, in execution order, which is a
 * topological order of the graph.
 *
 * @example
 * ```ts
 * const tape = new Tape([x]);
 * pushTape(tape);
 * try { y = f(x); } finally { popTape(tape); }
 * ```
 */
export class Tape {
  /** Ids of the sources and of every output recorded from them. */
  readonly watched = new Set<number>();
  readonly records: TapeRecord[] = [];

  constructor(sources: readonly Tensor[]) {
    for (const t of sources) this.watched.add(t.id);
  }

  /** Whether any of `tensors` depends on a source. */
  watches(tensors: readonly Tensor[]): boolean {
    for (const t of tensors) if (this.watched.has(t.id)) return true;
    return false;
  }

  /** Lets go of every record (freeing saved tensors no other tape holds). */
  release(): void {
    for (const r of this.records) r.release();
    this.records.length = 0;
    this.watched.clear();
  }
}

// Active tapes, outermost first. The observer is installed only while this is non-empty, so
// inference never pays for autograd.
let active: Tape[] = [];
let previousObserver: OpObserver | null = null;

const observer: OpObserver = {
  tracks(inputs) {
    for (const tape of active) if (tape.watches(inputs)) return true;
    return false;
  },
  record(op, inputs, output, attrs) {
    if (!isFloat(output.dtype)) return;
    const rule = GRADIENT_RULES.get(op);
    if (rule !== undefined) recordOp(op, rule, inputs, output, attrs);
    else if (opInfo(op)?.differentiable !== false) {
      throw new GradientError(`no gradient rule for op "${op}": it cannot be differentiated yet`);
    }
  },
};

/**
 * Makes `tape` record the ops that follow (innermost of the active tapes).
 *
 * @example
 * ```ts
 * pushTape(tape);
 * ```
 */
export function pushTape(tape: Tape): void {
  if (active.length === 0) previousObserver = setOpObserver(observer);
  active.push(tape);
}

/**
 * Stops `tape` recording; the last active tape restores whatever observer was there before.
 *
 * @example
 * ```ts
 * popTape(tape);
 * ```
 */
export function popTape(tape: Tape): void {
  const i = active.lastIndexOf(tape);
  if (i >= 0) active.splice(i, 1);
  if (active.length === 0) {
    setOpObserver(previousObserver);
    previousObserver = null;
  }
}

/**
 * Runs `fn` with every active tape hidden and no observer: nothing inside is recorded, and a
 * gradient taken inside starts from a clean stack. Restores everything, even on throw.
 *
 * @example
 * ```ts
 * const y = unrecorded(() => exp(x)); // a constant to every tape
 * ```
 */
export function unrecorded<T>(fn: () => T): T {
  const tapes = active;
  const previous = previousObserver;
  active = [];
  const installed = setOpObserver(null);
  try {
    return fn();
  } finally {
    active = tapes;
    previousObserver = previous;
    setOpObserver(installed);
  }
}

/** A handle on `t`'s storage for the tape: unrecorded, and exempt from the user's tidy. */
function hold(t: Tensor): Tensor {
  const installed = setOpObserver(null);
  try {
    return keep(clone(t));
  } finally {
    setOpObserver(installed);
  }
}

/**
 * Records an op on every active tape that watches one of its inputs, saving (as private
 * handles) only what its rule reads. `residuals` are extra saved tensors (customGrad).
 *
 * @example
 * ```ts
 * recordOp("exp", GRADIENT_RULES.get("exp")!, [x], y, {});
 * ```
 */
export function recordOp(
  op: string,
  rule: GradientRule,
  inputs: readonly Tensor[],
  output: Tensor,
  attrs: OpAttrs,
  residuals: readonly Tensor[] = [],
): void {
  const holders = active.filter((tape) => tape.watches(inputs));
  if (holders.length === 0) return;
  const savedInputs = inputs.map((t, i) => (rule.saveInputs.includes(i) ? hold(t) : undefined));
  const savedOutput = rule.saveOutput ? hold(output) : undefined;
  const savedResiduals = residuals.map(hold);
  const record = new TapeRecord(op, rule, inputs, output, attrs, savedInputs, savedOutput, savedResiduals);
  record.refs = holders.length;
  for (const tape of holders) {
    tape.records.push(record);
    tape.watched.add(output.id);
  }
  if (holders.length > 1) {
    linkSaved(holders, [
      ...inputs.map((t, i): [Tensor, Tensor | undefined] => [t, savedInputs[i]]),
      [output, savedOutput],
      ...residuals.map((t, i): [Tensor, Tensor | undefined] => [t, savedResiduals[i]]),
    ]);
  }
}

// The innermost holder runs this record's backward with itself popped, so the outer holders
// record the backward's ops. Those ops read the saved handles, not the originals: each outer
// tape that watches an original learns that its handle is the same value (an identity edge),
// so gradients of the backward flow through it. The innermost needs no such edge.
function linkSaved(holders: readonly Tape[], pairs: readonly [Tensor, Tensor | undefined][]): void {
  const identity = GRADIENT_RULES.get("reshape") as GradientRule;
  for (const [original, handle] of pairs) {
    if (handle === undefined) continue;
    const outer = holders.slice(0, -1).filter((tape) => tape.watched.has(original.id));
    if (outer.length === 0) continue;
    const edge = new TapeRecord("reshape", identity, [original], handle, { shape: original.shape }, [], undefined);
    edge.refs = outer.length;
    for (const tape of outer) {
      tape.records.push(edge);
      tape.watched.add(handle.id);
    }
  }
}
