import { makeHandle, prepareInputs, releaseStorage, retainStorage } from "./engine.js";
import { ArgumentError, DisposedError, ShapeError } from "./errors.js";
import { keep } from "./memory.js";
import { Tensor } from "./tensor.js";

/**
 * A tensor whose value can be replaced in place with {@link Variable.assign}: the handle stays
 * the same (so a model, an optimizer and a gradient tape can all refer to it) while its
 * storage changes. Ops see its current value. Variables are never freed by `tidy`.
 *
 * @example
 * ```ts
 * const w = variable(zeros([2, 2]), { name: "w" });
 * w.assign(ones([2, 2]));
 * w.toArray(); // [[1, 1], [1, 1]]
 * ```
 */
export class Variable extends Tensor {
  /** A label for messages and state dicts. */
  name = "";
  /** Whether optimizers and `parameters()` should update it. */
  trainable = true;

  /**
   * Makes `value`'s elements the variable's (sharing storage, no copy). `value` must have the
   * same shape and dtype; the caller still owns (and may dispose) `value`.
   */
  assign(value: Tensor): void {
    if (this.isDisposed) throw new DisposedError(`assign: variable "${this.name}" #${this.id} was disposed`);
    prepareInputs("assign", [value]);
    if (
      value.dtype !== this.dtype ||
      value.shape.length !== this.shape.length ||
      value.shape.some((d, i) => d !== this.shape[i])
    ) {
      throw new ShapeError(`assign: variable "${this.name}" is ${this.describe()}, got ${value.describe()}`);
    }
    const old = this.storage;
    retainStorage(value.dataId, this.shape, this.dtype, this.backend);
    this.storage = value.dataId;
    releaseStorage(old);
  }
}

/**
 * Creates a {@link Variable} holding a copy-free reference to `initial`'s storage.
 *
 * @example
 * ```ts
 * const b = variable(zeros([128]), { name: "bias", trainable: true });
 * ```
 */
export function variable(initial: Tensor, options: { name?: string; trainable?: boolean } = {}): Variable {
  const backend = prepareInputs("variable", [initial]);
  if (initial.isDisposed) throw new ArgumentError("variable: initial value was disposed");
  const v = makeHandle(Variable, initial.dataId, initial.shape, initial.dtype, backend);
  v.name = options.name ?? `variable_${v.id}`;
  v.trainable = options.trainable ?? true;
  return keep(v);
}
