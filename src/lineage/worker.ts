/**
 * Runs the layout off the main thread: a Web Worker made from the source text of
 * `layoutGraph` (a Blob URL, so no separate file has to be served next to the bundle).
 * Where workers or Blob URLs are unavailable (jest, a strict Content-Security-Policy) the
 * layout runs on the main thread instead.
 */
import { ILayoutInput, ILayoutResult, layoutGraph } from './layout';

/** Below this many nodes posting to a worker costs more than the layout itself. */
const WORKER_THRESHOLD = 300;

interface IPending {
  resolve(result: ILayoutResult | null): void;
  reject(error: Error): void;
  input: ILayoutInput;
}

/** The worker's whole program: the layout function and a message loop. */
export function workerSource(): string {
  return (
    `const layoutGraph = (${layoutGraph.toString()});\n` +
    'self.onmessage = event => {\n' +
    '  const { id, input } = event.data;\n' +
    '  try { self.postMessage({ id, result: layoutGraph(input) }); }\n' +
    '  catch (error) { self.postMessage({ id, error: String(error && error.message || error) }); }\n' +
    '};\n'
  );
}

export class LayoutRunner {
  private _worker: Worker | null = null;
  private _url: string | null = null;
  private _failed = false;
  private _latest = 0;
  private readonly _pending = new Map<number, IPending>();

  /** Whether layouts can run in a worker here. */
  get usesWorker(): boolean {
    return this._ensureWorker() !== null;
  }

  /**
   * Lay the graph out. Resolves with null when a newer request was made meanwhile: its
   * result would be stale.
   */
  run(input: ILayoutInput): Promise<ILayoutResult | null> {
    const id = ++this._latest;
    const worker =
      input.widths.length >= WORKER_THRESHOLD ? this._ensureWorker() : null;
    if (worker === null) {
      return Promise.resolve().then(() =>
        id === this._latest ? layoutGraph(input) : null
      );
    }
    return new Promise<ILayoutResult | null>((resolve, reject) => {
      this._pending.set(id, { resolve, reject, input });
      worker.postMessage({ id, input });
    });
  }

  dispose(): void {
    this._worker?.terminate();
    this._worker = null;
    if (this._url !== null) {
      URL.revokeObjectURL(this._url);
      this._url = null;
    }
    for (const pending of this._pending.values()) {
      pending.resolve(null);
    }
    this._pending.clear();
  }

  private _ensureWorker(): Worker | null {
    if (this._worker !== null || this._failed) {
      return this._worker;
    }
    if (
      typeof Worker === 'undefined' ||
      typeof Blob === 'undefined' ||
      typeof URL === 'undefined' ||
      typeof URL.createObjectURL !== 'function'
    ) {
      this._failed = true;
      return null;
    }
    try {
      this._url = URL.createObjectURL(
        new Blob([workerSource()], { type: 'text/javascript' })
      );
      const worker = new Worker(this._url);
      worker.onmessage = event => this._receive(event.data);
      // A CSP refusal can arrive asynchronously as an error event: finish the waiting
      // requests on the main thread and stop using the worker.
      worker.onerror = event => {
        event.preventDefault?.();
        this._fallBack();
      };
      this._worker = worker;
    } catch {
      this._failed = true;
    }
    return this._worker;
  }

  private _receive(data: {
    id: number;
    result?: ILayoutResult;
    error?: string;
  }): void {
    const pending = this._pending.get(data.id);
    if (pending === undefined) {
      return;
    }
    this._pending.delete(data.id);
    if (data.id !== this._latest) {
      pending.resolve(null);
    } else if (data.error !== undefined) {
      pending.reject(new Error(`Layout failed: ${data.error}`));
    } else {
      pending.resolve(data.result as ILayoutResult);
    }
  }

  private _fallBack(): void {
    this._failed = true;
    this._worker?.terminate();
    this._worker = null;
    for (const [id, pending] of this._pending) {
      if (id === this._latest) {
        try {
          pending.resolve(layoutGraph(pending.input));
        } catch (error) {
          pending.reject(error as Error);
        }
      } else {
        pending.resolve(null);
      }
    }
    this._pending.clear();
  }
}
