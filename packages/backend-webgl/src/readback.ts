import { allocTypedArray, BackendError, type TypedArray } from "@tapegrad/core";
import type { GLContext } from "./context.js";
import type { WebGLData } from "./tensor_data.js";

/**
 * Reads a tensor back with `readPixels`, blocking until the GPU has finished every kernel
 * that leads to it. Simple and exact, but it stalls the page for as long as the queued work
 * takes; prefer {@link readAsync} in interactive code.
 *
 * @example
 * ```ts
 * const values = readSync(ctx, data); // Float32Array, Int32Array or Uint8Array by dtype
 * ```
 */
export function readSync(ctx: GLContext, data: WebGLData): TypedArray {
  ctx.assertUsable();
  if (data.size === 0) return allocTypedArray(data.dtype, 0);
  const gl = ctx.gl;
  const { channels, format, type } = readFormat(ctx, data);
  const texels = data.width * data.height * channels;
  const raw = data.integer ? new Int32Array(texels) : new Float32Array(texels);
  bindForRead(ctx, data);
  gl.readPixels(0, 0, data.width, data.height, format, type, raw);
  unbindRead(ctx);
  return convert(raw, channels, data);
}

/**
 * Reads a tensor back without blocking the page: `readPixels` into a PIXEL_PACK_BUFFER is
 * queued behind the kernels, a fence marks its end, and the fence is polled with `setTimeout`
 * (WebGL only updates a fence's status between tasks, and forbids blocking waits) before
 * `getBufferSubData` copies the finished bytes. The texture may be disposed or reused right
 * after the call: the copy was queued before any later write.
 *
 * @example
 * ```ts
 * const values = await readAsync(ctx, data);
 * ```
 */
export async function readAsync(ctx: GLContext, data: WebGLData): Promise<TypedArray> {
  ctx.assertUsable();
  if (data.size === 0) return allocTypedArray(data.dtype, 0);
  const gl = ctx.gl;
  const { channels, format, type } = readFormat(ctx, data);
  const length = data.width * data.height * channels;
  const buffer = gl.createBuffer();
  if (buffer === null) throw new BackendError("webgl: could not create a readback buffer (is the context lost?)");
  try {
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
    gl.bufferData(gl.PIXEL_PACK_BUFFER, length * 4, gl.STREAM_READ);
    bindForRead(ctx, data);
    gl.readPixels(0, 0, data.width, data.height, format, type, 0);
    unbindRead(ctx);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    await waitForGpu(ctx);
    const raw = data.integer ? new Int32Array(length) : new Float32Array(length);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
    gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, 0, raw);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    return convert(raw, channels, data);
  } finally {
    if (!gl.isContextLost()) gl.deleteBuffer(buffer);
  }
}

/**
 * Resolves once the GPU has finished every command issued so far, polling a fence between
 * tasks; rejects with a BackendError if the context is lost meanwhile.
 *
 * @example
 * ```ts
 * await waitForGpu(ctx); // e.g. to time kernels honestly
 * ```
 */
export async function waitForGpu(ctx: GLContext): Promise<void> {
  const gl = ctx.gl;
  const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
  if (sync === null) throw new BackendError("webgl: could not create a fence (is the context lost?)");
  gl.flush();
  try {
    for (let polls = 0; ; polls++) {
      ctx.assertUsable();
      const status = gl.clientWaitSync(sync, 0, 0);
      if (status === gl.ALREADY_SIGNALED || status === gl.CONDITION_SATISFIED) return;
      if (status === gl.WAIT_FAILED) throw new BackendError("webgl: waiting for the GPU failed");
      await nextTask(polls);
    }
  } finally {
    if (!gl.isContextLost()) gl.deleteSync(sync);
  }
}

// RGBA with FLOAT (or INT for integer textures) is the combination WebGL2 always accepts; the
// one-channel form, when the driver offers it, moves a quarter of the bytes.
function readFormat(ctx: GLContext, data: WebGLData): { channels: number; format: number; type: number } {
  const gl = ctx.gl;
  if (data.integer) {
    return ctx.readsRedInteger
      ? { channels: 1, format: gl.RED_INTEGER, type: gl.INT }
      : { channels: 4, format: gl.RGBA_INTEGER, type: gl.INT };
  }
  return ctx.readsRed
    ? { channels: 1, format: gl.RED, type: gl.FLOAT }
    : { channels: 4, format: gl.RGBA, type: gl.FLOAT };
}

// A fence's status only changes between tasks. Small kernels finish within a few task hops,
// so the first polls use a MessageChannel message (a task with no timer clamp; setTimeout
// chains are clamped to 4 ms after five levels); after that, setTimeout with a growing delay
// so a long kernel is not polled hot.
const QUICK_POLLS = 16;
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

function nextTask(polls: number): Promise<void> {
  if (polls >= QUICK_POLLS || typeof MessageChannel === "undefined") {
    return new Promise((resolve) => setTimeout(resolve, Math.min(polls - QUICK_POLLS, 8)));
  }
  if (channel === null) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const port = channel.port2;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port.postMessage(null);
  });
}

function bindForRead(ctx: GLContext, data: WebGLData): void {
  const gl = ctx.gl;
  gl.bindFramebuffer(gl.FRAMEBUFFER, ctx.framebuffer);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, data.texture, 0);
  gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
}

function unbindRead(ctx: GLContext): void {
  const gl = ctx.gl;
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
}

// Drops the unused tail of the last row (and the extra channels of an RGBA read); bool texels
// hold exactly 0 or 1.
function convert(raw: Float32Array | Int32Array, channels: number, data: WebGLData): TypedArray {
  const n = data.size;
  if (data.dtype !== "bool" && channels === 1) return n === raw.length ? raw : raw.slice(0, n);
  const out = allocTypedArray(data.dtype, n);
  for (let i = 0, j = 0; i < n; i++, j += channels) out[i] = raw[j] as number;
  return out;
}
