import { noGrad, valueAndGrads } from "@tapegrad/autograd";
import { type Tensor, tensor, tidy } from "@tapegrad/core";
import { Adam, type Sequential } from "@tapegrad/nn";
import { buildModel, EXPERIMENTS, lossFunction } from "../src/models.js";
import type { Images } from "./data.js";

/**
 * The models the page offers: the lecture's L2 (shallow, MSE) and L4 (16-dim bottleneck, BCE).
 *
 * @example
 * ```ts
 * const id: DemoModel = "L4";
 * ```
 */
export type DemoModel = "L2" | "L4";

/**
 * Trains one autoencoder on the current backend, one mini-batch per {@link Trainer.step}.
 * Adam (learning rate 2e-3) rather than the lecture's Adadelta, so the loss visibly falls
 * within the first hundred steps of a live demo.
 *
 * @example
 * ```ts
 * const trainer = new Trainer("L2", train, 32);
 * const loss = await trainer.step();
 * const recon = await trainer.reconstruct(test);
 * trainer.dispose();
 * ```
 */
export class Trainer {
  readonly model: Sequential;
  readonly #optimizer: Adam;
  readonly #train: Images;
  readonly #batchSize: number;
  readonly #loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
  #seed = 1;

  constructor(id: DemoModel, train: Images, batchSize: number) {
    this.model = buildModel(id, { seed: 0 });
    this.#optimizer = new Adam(this.model.parameters(), { learningRate: 2e-3 });
    this.#train = train;
    this.#batchSize = batchSize;
    this.#loss = lossFunction(EXPERIMENTS[id].phases[0]?.loss ?? "mse");
  }

  /** One optimizer step on a random mini-batch; resolves to its loss (read without blocking). */
  async step(): Promise<number> {
    const x = this.#batch();
    const value = tidy(() => {
      const { value, grads } = valueAndGrads(() => this.#loss(x, this.model.call(x)), this.model.parameters());
      this.#optimizer.step(grads);
      return value;
    });
    x.dispose();
    try {
      return (await value.data())[0] as number;
    } finally {
      value.dispose();
    }
  }

  /** Reconstructions of `images` (same layout), read without blocking. */
  async reconstruct(images: Images): Promise<Float32Array> {
    const x = tensor(images.pixels, { shape: [images.count, 784] });
    const y = tidy(() => noGrad(() => this.model.call(x)));
    x.dispose();
    try {
      return Float32Array.from(await y.data());
    } finally {
      y.dispose();
    }
  }

  /** Frees the model's parameters and the optimizer's state. */
  dispose(): void {
    this.#optimizer.dispose();
    for (const p of this.model.parameters()) p.dispose();
  }

  // A deterministic pseudo-random batch (a linear congruential generator), so runs repeat.
  #batch(): Tensor {
    const n = this.#train.count;
    const out = new Float32Array(this.#batchSize * 784);
    for (let b = 0; b < this.#batchSize; b++) {
      this.#seed = (Math.imul(this.#seed, 1664525) + 1013904223) >>> 0;
      const i = this.#seed % n;
      out.set(this.#train.pixels.subarray(i * 784, (i + 1) * 784), b * 784);
    }
    return tensor(out, { shape: [this.#batchSize, 784] });
  }
}
