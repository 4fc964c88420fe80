type Immediate = (callback: () => void) => unknown;

/**
 * @internal Resolves on the next turn of the event loop so timers, I/O and rendering can run
 * between batches. `setTimeout(0)` is clamped to ≥ 4 ms after a few nested calls in browsers
 * (and costs ~1 ms in Node), which adds up over 600 batches an epoch; `setImmediate` (Node) and
 * a MessageChannel message (browsers) are not clamped.
 */
export function nextTick(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof immediate === "function") return new Promise((resolve) => immediate(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      // The DOM's MessagePort (this path runs in browsers; Node has setImmediate). Assigning
      // onmessage also starts the port.
      const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void };
      port.onmessage = () => {
        port.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
