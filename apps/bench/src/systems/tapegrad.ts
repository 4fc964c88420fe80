// tapegrad on its CPU backend, driven the way a user would drive it: core ops for the kernels,
// and for training both nn's `fit` and a hand-written loop (valueAndGrads + Adam.step).
import { valueAndGrads } from "@tapegrad/autograd";
import { cpu } from "@tapegrad/backend-cpu";
import {
  add,
  getBackend,
  matmul,
  memory,
  mul,
  relu,
  resetPeakBytes,
  scalar,
  setBackend,
  slice,
  type Tensor,
  tensor,
  tidy,
} from "@tapegrad/core";
import {
  Adam,
  binaryCrossentropy,
  Dense,
  fit,
  type LossFn,
  meanSquaredError,
  Sequential,
  zerosInitializer,
} from "@tapegrad/nn";
import type { LayerWeights, ModelSpec } from "../weights.js";
import { ADAM, activationOf } from "../weights.js";
import {
  type BenchSystem,
  type ByteTracker,
  type EpochHooks,
  type EpochResult,
  type KernelRun,
  type MatmulLayout,
  matmulOperands,
  type PreparedTraining,
  type TrainOptions,
  type TrainPath,
} from "./common.js";

let installed = false;

function trackTapegradBytes(): ByteTracker {
  // Core keeps the bytes of live storage and their high-water mark as buffers come and go, so
  // the peak inside a training step is exact, not sampled.
  return {
    how: "memory().numBytes (bytes of live storage buffers) and memory().peakBytes since resetPeakBytes()",
    current: () => memory().numBytes,
    peak: () => memory().peakBytes,
    resetPeak: () => resetPeakBytes(),
    sample: () => {},
  };
}

function buildModel(spec: ModelSpec, weights: readonly LayerWeights[]): Sequential {
  const layers = weights.map(
    (w, i) =>
      // Zeros: the shared weights are assigned right after, so drawing glorot numbers is wasted.
      new Dense(w.inFeatures, w.units, { activation: activationOf(spec, i), kernelInitializer: zerosInitializer }),
  );
  const model = new Sequential(layers);
  layers.forEach((layer, i) => {
    const w = weights[i]!;
    tidy(() => {
      layer.kernel.assign(tensor(w.kernel, { shape: [w.inFeatures, w.units] }));
      layer.bias!.assign(tensor(w.bias, { shape: [w.units] }));
    });
  });
  return model;
}

class TapegradSystem implements BenchSystem {
  readonly name = "tapegrad-cpu";

  async activate(): Promise<void> {
    if (!installed) {
      setBackend(cpu());
      installed = true;
    }
  }

  matmul(m: number, k: number, n: number, layout: MatmulLayout): KernelRun {
    const ops = matmulOperands(m, k, n, layout);
    const a = tensor(ops.a, { shape: ops.aShape });
    const b = tensor(ops.b, { shape: ops.bShape });
    const options = { transposeA: layout === "AtB", transposeB: layout === "ABt" };
    // The CPU backend computes eagerly and synchronously: disposing the result is enough.
    return {
      call: () => matmul(a, b, options).dispose(),
      dispose: () => {
        a.dispose();
        b.dispose();
      },
    };
  }

  elementwise(size: number, a: number, b: number): KernelRun {
    const x = tensor(new Float32Array(size).map((_, i) => ((i * 7919) % 2001) / 1000 - 1));
    const sa = scalar(a);
    const sb = scalar(b);
    return {
      call: () => tidy(() => relu(add(mul(x, sa), sb))).dispose(),
      dispose: () => {
        x.dispose();
        sa.dispose();
        sb.dispose();
      },
    };
  }

  uploadImages(images: Float32Array, n: number): unknown {
    return tensor(images.subarray(0, n * 784), { shape: [n, 784] });
  }

  async prepareTraining(
    spec: ModelSpec,
    weights: readonly LayerWeights[],
    images: unknown,
    path: TrainPath,
    options: TrainOptions,
  ): Promise<PreparedTraining> {
    const { batchSize } = options;
    const x = images as Tensor;
    const n = x.shape[0] as number;
    const model = buildModel(spec, weights);
    const optimizer = new Adam(model.parameters(), { ...ADAM, epsilon: options.epsilon });
    const loss: LossFn = spec.loss === "mse" ? meanSquaredError : (y, p) => binaryCrossentropy(y, p);
    const dispose = () => {
      optimizer.dispose();
      for (const p of model.parameters()) p.dispose();
    };
    if (path === "fit") {
      return {
        runEpoch: async (hooks?: EpochHooks): Promise<EpochResult> => {
          const onBatchEnd = hooks?.onBatchEnd;
          const history = await fit(model, x, x, {
            loss: spec.loss === "mse" ? "mse" : "binary_crossentropy",
            optimizer,
            epochs: 1,
            batchSize,
            // Same batches in the same order for every system, so the epoch losses must agree.
            shuffle: false,
            verbose: 0,
            ...(onBatchEnd ? { callbacks: [{ onBatchEnd: (batch: number) => onBatchEnd(batch) }] } : {}),
          });
          return { loss: Number(history.history.loss?.[0]), steps: Math.ceil(n / batchSize) };
        },
        dispose,
      };
    }
    return {
      runEpoch: async (hooks?: EpochHooks): Promise<EpochResult> => {
        let total = 0;
        let steps = 0;
        for (let start = 0; start < n; start += batchSize) {
          const size = Math.min(batchSize, n - start);
          const value = tidy(() => {
            const xb = slice(x, [start, 0], [size, 784]);
            const { value: l, grads } = valueAndGrads(() => loss(xb, model.call(xb)), optimizer.params);
            optimizer.step(grads);
            return l.item() as number;
          });
          total += value * size;
          hooks?.onBatchEnd?.(steps);
          steps++;
        }
        return { loss: total / n, steps };
      },
      dispose,
    };
  }

  byteTracker(): ByteTracker {
    return trackTapegradBytes();
  }

  describe(): Record<string, string | number | boolean> {
    const backend = getBackend() as unknown as { name?: string; capabilities?: unknown };
    const out: Record<string, string | number | boolean> = { backend: String(backend?.name ?? "cpu") };
    const caps = backend?.capabilities;
    if (caps && typeof caps === "object") {
      for (const [k, v] of Object.entries(caps)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
      }
    }
    return out;
  }
}

export function tapegradCpu(): BenchSystem {
  return new TapegradSystem();
}
