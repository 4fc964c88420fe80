// TensorFlow.js 4.22 in two configurations: the pure-JS CPU backend and the WebAssembly backend
// (SIMD, one thread). Both backends live in the same tfjs engine; `activate` switches between
// them, and every tensor is created after the switch so that no timed op pays for a cross-backend
// copy.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as tfl from "@tensorflow/tfjs-layers";
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

// tfjs-backend-cpu greets Node users with a multi-line banner recommending tfjs-node on first
// use. It is noise in a results table; drop exactly that message and nothing else.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].includes("looks like you are running TensorFlow.js in Node.js")) return;
  warn(...args);
};

const WASM_BINARIES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

/** The .wasm file the backend actually asked for (the file map records each lookup). */
let wasmBinaryLoaded = "(not initialised)";
let wasmConfigured = false;

function configureWasm(): void {
  if (wasmConfigured) return;
  wasmConfigured = true;
  // The binaries ship in the package's dist folder; resolve it from this file rather than the
  // working directory so `node apps/bench/dist/main.js` works from anywhere.
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"));
  // One thread, SIMD: the multithreaded binary needs SharedArrayBuffer workers, which tfjs does
  // not set up in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false there).
  // Setting the flag anyway makes the choice explicit and independent of that default.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  const map: Record<string, string> = {};
  let armed = false;
  for (const name of WASM_BINARIES) {
    Object.defineProperty(map, name, {
      enumerable: true,
      get() {
        if (armed) wasmBinaryLoaded = name;
        return join(dist, name);
      },
    });
  }
  setWasmPaths(map);
  // setWasmPaths reads every entry to validate the map; only later lookups are the real choice.
  armed = true;
}

const backendInitSeconds: Record<string, number> = {};

/** Makes `name` ("cpu" or "wasm") tfjs's backend, initialising it on first use. */
export async function useTfjsBackend(name: "cpu" | "wasm"): Promise<void> {
  if (name === "wasm") configureWasm();
  if (tf.getBackend() === name) return;
  const t0 = performance.now();
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs: backend "${name}" failed to initialise`);
  await tf.ready();
  backendInitSeconds[name] ??= (performance.now() - t0) / 1000;
}

function trackTfjsBytes(): ByteTracker {
  // tf.memory().numBytes is the engine's running total of tensor bytes; it is a plain field of
  // the engine state, so an accessor sees every change (exact peak, nothing allocated per op).
  // tf.profile would also report a peak, but it times and NaN-checks every kernel.
  const state = tf.engine().state as unknown as { numBytes: number };
  let value = state.numBytes;
  let peak = value;
  Object.defineProperty(state, "numBytes", {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (v: number) => {
      value = v;
      if (v > peak) peak = v;
    },
  });
  return {
    how: "tf.memory().numBytes (engine's tensor-byte total), high-water mark via an accessor on the engine state",
    current: () => value,
    peak: () => peak,
    resetPeak: () => {
      peak = value;
    },
    sample: () => {},
  };
}

function bceCore(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  // Keras' binary_crossentropy: clip to [ε, 1−ε] with ε = 1e-7, per-pixel mean, batch mean.
  const eps = 1e-7;
  const pc = tf.clipByValue(p, eps, 1 - eps);
  const ll = tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, pc))));
  return tf.neg(tf.mean(ll));
}

class TfjsSystem implements BenchSystem {
  readonly name: string;
  readonly #backend: "cpu" | "wasm";

  constructor(backend: "cpu" | "wasm") {
    this.#backend = backend;
    this.name = `tfjs-${backend}`;
  }

  activate(): Promise<void> {
    return useTfjsBackend(this.#backend);
  }

  matmul(m: number, k: number, n: number, layout: MatmulLayout): KernelRun {
    const ops = matmulOperands(m, k, n, layout);
    const a = tf.tensor2d(ops.a, ops.aShape);
    const b = tf.tensor2d(ops.b, ops.bShape);
    const ta = layout === "AtB";
    const tb = layout === "ABt";
    // Both backends run kernels eagerly and synchronously, so disposing the result is enough;
    // a dataSync per call would add a copy that is not part of the multiply.
    return {
      call: () => tf.matMul(a, b, ta, tb).dispose(),
      dispose: () => tf.dispose([a, b]),
    };
  }

  elementwise(size: number, a: number, b: number): KernelRun {
    const x = tf.tensor1d(new Float32Array(size).map((_, i) => ((i * 7919) % 2001) / 1000 - 1));
    const sa = tf.scalar(a);
    const sb = tf.scalar(b);
    return {
      call: () => tf.tidy(() => tf.relu(tf.add(tf.mul(x, sa), sb))).dispose(),
      dispose: () => tf.dispose([x, sa, sb]),
    };
  }

  uploadImages(images: Float32Array, n: number): unknown {
    return tf.tensor2d(images.subarray(0, n * 784), [n, 784]);
  }

  async prepareTraining(
    spec: ModelSpec,
    weights: readonly LayerWeights[],
    images: unknown,
    path: TrainPath,
    options: TrainOptions,
  ): Promise<PreparedTraining> {
    const x = images as tf.Tensor2D;
    return path === "fit" ? this.#prepareFit(spec, weights, x, options) : this.#prepareLoop(spec, weights, x, options);
  }

  #prepareFit(
    spec: ModelSpec,
    weights: readonly LayerWeights[],
    x: tf.Tensor2D,
    options: TrainOptions,
  ): PreparedTraining {
    const { batchSize } = options;
    const model = tfl.sequential();
    weights.forEach((w, i) => {
      model.add(
        tfl.layers.dense({
          units: w.units,
          activation: activationOf(spec, i),
          // Overwritten by setWeights below; zeros skips drawing numbers that are thrown away.
          kernelInitializer: "zeros",
          ...(i === 0 ? { inputShape: [w.inFeatures] } : {}),
        }),
      );
    });
    const initial = weights.flatMap((w) => [tf.tensor2d(w.kernel, [w.inFeatures, w.units]), tf.tensor1d(w.bias)]);
    model.setWeights(initial);
    tf.dispose(initial);
    const optimizer = tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, options.epsilon);
    model.compile({ optimizer, loss: spec.loss === "mse" ? "meanSquaredError" : "binaryCrossentropy" });
    return {
      runEpoch: async (hooks?: EpochHooks): Promise<EpochResult> => {
        const onBatchEnd = hooks?.onBatchEnd;
        const history = await model.fit(x, x, {
          epochs: 1,
          batchSize,
          // Same batches in the same order for every system, so the epoch losses must agree.
          shuffle: false,
          verbose: 0,
          ...(onBatchEnd ? { callbacks: { onBatchEnd: async (batch: number) => onBatchEnd(batch) } } : {}),
        });
        const loss = history.history.loss?.[0];
        return { loss: Number(loss), steps: Math.ceil((x.shape[0] as number) / batchSize) };
      },
      dispose: () => {
        model.dispose();
        optimizer.dispose();
      },
    };
  }

  #prepareLoop(
    spec: ModelSpec,
    weights: readonly LayerWeights[],
    x: tf.Tensor2D,
    options: TrainOptions,
  ): PreparedTraining {
    const { batchSize } = options;
    const params = weights.map((w) => ({
      kernel: tf.variable(tf.tensor2d(w.kernel, [w.inFeatures, w.units])),
      bias: tf.variable(tf.tensor1d(w.bias)),
    }));
    const varList = params.flatMap((p) => [p.kernel, p.bias]);
    const optimizer = tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, options.epsilon);
    const last = params.length - 1;
    const forward = (h0: tf.Tensor2D): tf.Tensor => {
      let h: tf.Tensor = h0;
      params.forEach((p, i) => {
        // The fused matmul+bias(+relu) kernel is what tfjs-layers' Dense uses; its gradient
        // supports relu and linear, so the sigmoid output is a separate op, as in layers.
        h =
          i === last
            ? tf.sigmoid(tf.fused.matMul({ a: h as tf.Tensor2D, b: p.kernel, bias: p.bias }))
            : tf.fused.matMul({ a: h as tf.Tensor2D, b: p.kernel, bias: p.bias, activation: "relu" });
      });
      return h;
    };
    const n = x.shape[0] as number;
    return {
      runEpoch: async (hooks?: EpochHooks): Promise<EpochResult> => {
        let total = 0;
        let steps = 0;
        for (let start = 0; start < n; start += batchSize) {
          const size = Math.min(batchSize, n - start);
          const cost = tf.tidy(
            () =>
              optimizer.minimize(
                () => {
                  const xb = tf.slice(x, [start, 0], [size, 784]);
                  const p = forward(xb);
                  return spec.loss === "mse" ? tf.losses.meanSquaredError(xb, p) : bceCore(xb, p);
                },
                true,
                varList,
              ) as tf.Scalar,
          );
          // One read per step, as fit does to log the loss.
          total += cost.dataSync()[0]! * size;
          cost.dispose();
          hooks?.onBatchEnd?.(steps);
          steps++;
        }
        return { loss: total / n, steps };
      },
      dispose: () => {
        tf.dispose(varList);
        optimizer.dispose();
      },
    };
  }

  byteTracker(): ByteTracker {
    return trackTfjsBytes();
  }

  describe(): Record<string, string | number | boolean> {
    const out: Record<string, string | number | boolean> = {
      version: tf.version_core,
      backend: this.#backend,
    };
    if (backendInitSeconds[this.#backend] !== undefined) out.initSeconds = backendInitSeconds[this.#backend]!;
    if (this.#backend === "wasm") {
      out.binary = wasmBinaryLoaded;
      out.simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
      out.multithreadFlag = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
      out.threads = getThreadsCount();
      out.sharedArrayBuffer = typeof SharedArrayBuffer !== "undefined";
    }
    return out;
  }
}

export function tfjsCpu(): BenchSystem {
  return new TfjsSystem("cpu");
}

export function tfjsWasm(): BenchSystem {
  return new TfjsSystem("wasm");
}
