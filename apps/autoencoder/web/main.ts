import { cpu } from "@tapegrad/backend-cpu";
import { webgl } from "@tapegrad/backend-webgl";
import { type Backend, memory, setBackend } from "@tapegrad/core";
import { drawDigits, drawLoss } from "./charts.js";
import { fetchImages, type Images } from "./data.js";
import type { DemoState } from "./demo_state.js";
import { type DemoModel, Trainer } from "./trainer.js";

// The page: loads a slice of MNIST, creates the WebGL backend (or explains why it cannot and
// offers the CPU), and trains while the Start button says so. State is mirrored on
// window.tapegradDemo for the end-to-end test.

const TRAIN_IMAGES = 2000;
const TEST_IMAGES = 8;
const BATCH = 32;
// Reconstructions are redrawn every few steps: each costs a forward pass and a readback.
const RECON_EVERY = 10;

const state: DemoState = { backend: "", running: false, steps: 0, losses: [], reconstructions: 0, error: null };
(globalThis as unknown as { tapegradDemo: DemoState }).tapegradDemo = state;

function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`page is missing #${id}`);
  return el as T;
}

const ui = {
  model: element<HTMLSelectElement>("model"),
  backend: element<HTMLSelectElement>("backend"),
  start: element<HTMLButtonElement>("start"),
  stop: element<HTMLButtonElement>("stop"),
  status: element<HTMLSpanElement>("status"),
  notice: element<HTMLParagraphElement>("notice"),
  loss: element<HTMLCanvasElement>("loss"),
  recon: element<HTMLCanvasElement>("recon"),
};

let train: Images;
let test: Images;
let trainer: Trainer | null = null;
const backends = new Map<string, Backend>();

function say(text: string): void {
  ui.status.textContent = text;
}

function notice(text: string | null): void {
  ui.notice.hidden = text === null;
  ui.notice.textContent = text ?? "";
}

async function backendFor(name: string): Promise<Backend> {
  let b = backends.get(name);
  if (b === undefined) {
    b = name === "webgl" ? await webgl() : cpu();
    backends.set(name, b);
  }
  return b;
}

// A fresh model on the chosen backend (tensors cannot move between backends).
async function rebuild(): Promise<void> {
  trainer?.dispose();
  trainer = null;
  const backend = await backendFor(ui.backend.value);
  setBackend(backend);
  state.backend = backend.name;
  trainer = new Trainer(ui.model.value as DemoModel, train, BATCH);
  state.steps = 0;
  state.losses = [];
  drawLoss(ui.loss, state.losses);
  drawDigits(ui.recon, test.pixels, null, TEST_IMAGES);
  say(`ready: ${ui.model.value} on ${backend.name}`);
}

async function showReconstructions(t: Trainer): Promise<void> {
  const recon = await t.reconstruct(test);
  drawDigits(ui.recon, test.pixels, recon, TEST_IMAGES);
  state.reconstructions++;
}

// What the page is doing, in words: training runs until Stop, and the first few dozen steps
// only ever show a blurry average digit, which looks like a bug unless the page says so.
function progress(loss: number, stepsPerSecond: number): string {
  const epochs = (state.steps * BATCH) / TRAIN_IMAGES;
  const stage =
    state.steps < 80
      ? "reconstructions start as a blurry average digit"
      : state.steps < 300
        ? "reconstructions are taking the shapes of their digits"
        : "reconstructions keep sharpening";
  return (
    `training ${ui.model.value} on ${state.backend} until you press Stop: step ${state.steps} ` +
    `(${epochs.toFixed(1)} passes over ${TRAIN_IMAGES.toLocaleString("en")} images, ` +
    `${stepsPerSecond.toFixed(1)} steps/s), loss ${loss.toFixed(4)}; ${stage}`
  );
}

async function run(): Promise<void> {
  const t = trainer;
  if (t === null || state.running) return;
  state.running = true;
  const started = performance.now();
  const firstStep = state.steps;
  ui.start.disabled = true;
  ui.stop.disabled = false;
  ui.model.disabled = true;
  ui.backend.disabled = true;
  try {
    while (state.running) {
      const loss = await t.step();
      state.steps++;
      state.losses.push(loss);
      drawLoss(ui.loss, state.losses);
      if (state.steps % RECON_EVERY === 0) await showReconstructions(t);
      say(progress(loss, (state.steps - firstStep) / ((performance.now() - started) / 1000)));
      // Let the page paint and handle Stop between steps.
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await showReconstructions(t);
    say(
      `stopped after ${state.steps} steps, loss ${state.losses.at(-1)?.toFixed(4)} ` +
        `(${state.backend}, ${memory().numTensors} live tensors): Start continues, a new model or backend starts afresh`,
    );
  } catch (e) {
    state.error = String(e);
    notice(`Training stopped: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    state.running = false;
    ui.start.disabled = false;
    ui.stop.disabled = true;
    ui.model.disabled = false;
    ui.backend.disabled = false;
  }
}

async function init(): Promise<void> {
  say("loading MNIST…");
  [train, test] = await Promise.all([fetchImages("train", TRAIN_IMAGES), fetchImages("test", TEST_IMAGES)]);
  try {
    await backendFor("webgl");
  } catch (e) {
    // No WebGL2 or no float render targets: say so, and train on the CPU instead.
    ui.backend.value = "cpu";
    (ui.backend.querySelector('option[value="webgl"]') as HTMLOptionElement).disabled = true;
    notice(
      `WebGL2 with 32-bit float render targets is not available in this browser ` +
        `(${e instanceof Error ? e.message : String(e)}). You can still train on the CPU backend.`,
    );
  }
  await rebuild();
  ui.start.disabled = false;
  ui.start.addEventListener("click", () => void run());
  ui.stop.addEventListener("click", () => {
    state.running = false;
  });
  for (const select of [ui.model, ui.backend]) select.addEventListener("change", () => void rebuild());
}

init().catch((e: unknown) => {
  state.error = String(e);
  say("failed");
  notice(`The demo could not start: ${e instanceof Error ? e.message : String(e)}`);
});
