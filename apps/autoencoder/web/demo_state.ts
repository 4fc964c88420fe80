/**
 * What the page exposes on `window.tapegradDemo`: the state the end-to-end test reads, so it
 * can wait for training steps and check the result without scraping the page's text.
 *
 * @example
 * ```ts
 * const state = (globalThis as unknown as { tapegradDemo: DemoState }).tapegradDemo;
 * state.steps; // 120
 * ```
 */
export interface DemoState {
  /** The active backend's name ("webgl" or "cpu"). */
  backend: string;
  running: boolean;
  steps: number;
  /** The loss of every step so far. */
  losses: number[];
  /** How many times reconstructions were drawn. */
  reconstructions: number;
  /** The message of the error that stopped the page, if any. */
  error: string | null;
}
