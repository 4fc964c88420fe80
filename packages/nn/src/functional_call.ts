import { ArgumentError, ShapeError, type Tensor } from "@tapegrad/core";
import { type Module, variableEntries } from "./module.js";

/**
 * Runs `module.forward(x)` with some parameters replaced by other tensors, given by dotted
 * name (`"layers.0.kernel"`), without changing the module: the fields are swapped for the call
 * and restored afterwards, even if forward throws. Because the forward pass then reads the
 * given tensors themselves, gradients flow to them — which makes a layer a pure function of
 * its weights (as PyTorch's `torch.func.functional_call`), e.g. for `gradcheck` over a layer's
 * parameters, per-example gradients or meta-learning. Parameters not named keep their value.
 *
 * @example
 * ```ts
 * const layer = new Dense(3, 2, { dtype: "float64", seed: 0 });
 * const x = randomNormal([4, 3], { dtype: "float64", seed: 1 });
 * gradcheck((k, b) => sum(functionalCall(layer, { kernel: k, bias: b }, x)), [layer.kernel, layer.bias!]);
 * ```
 */
export function functionalCall(module: Module, params: Readonly<Record<string, Tensor>>, x: Tensor): Tensor {
  const entries = new Map(variableEntries(module).map((e) => [e.name, e]));
  const swaps: Array<{ holder: Record<string, unknown>; key: string; original: unknown }> = [];
  for (const [name, value] of Object.entries(params)) {
    const entry = entries.get(name);
    if (entry === undefined) {
      throw new ArgumentError(
        `functionalCall: ${module.constructor.name} has no parameter "${name}"; it has ${[...entries.keys()].join(", ")}`,
      );
    }
    const v = entry.variable;
    if (
      value.dtype !== v.dtype ||
      value.shape.length !== v.shape.length ||
      value.shape.some((d, i) => d !== v.shape[i])
    ) {
      throw new ShapeError(`functionalCall: "${name}" is ${v.describe()}, got ${value.describe()}`);
    }
    for (const { holder, key } of entry.slots) swaps.push({ holder, key, original: holder[key] });
  }
  try {
    for (const [name, value] of Object.entries(params)) {
      for (const { holder, key } of (
        entries.get(name) as { slots: Array<{ holder: Record<string, unknown>; key: string }> }
      ).slots) {
        holder[key] = value;
      }
    }
    return module.forward(x);
  } finally {
    for (const { holder, key, original } of swaps.reverse()) holder[key] = original;
  }
}
