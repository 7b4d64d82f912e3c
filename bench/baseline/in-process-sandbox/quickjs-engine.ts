/**
 * The QuickJS WebAssembly instances the sandbox runs on: this module's own instances (never the library-wide
 * singleton), each with a WebAssembly memory whose maximum size is fixed when it is created, each used by one
 * run at a time and pooled for reuse.
 *
 * Why a hard memory ceiling: QuickJS's own memory limit counts a fixed overhead per allocation in this build
 * (its allocator cannot report usable sizes), so many small allocations slip past it. A WebAssembly memory
 * with a `maximum` cannot grow past it: malloc fails and QuickJS throws "out of memory" inside the guest.
 */
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from "quickjs-emscripten";

export interface QuickJSEngine {
  readonly module: QuickJSWASMModule;
  readonly memoryLimitBytes: number;
  /** Set once the engine must not be reused. */
  retired: boolean;
  /** Current size of the instance's linear memory in bytes, or undefined if it cannot be read. */
  heapBytes(): number | undefined;
  /** Never hand out this instance again. */
  retire(): void;
}

/** The slice of the WebAssembly global used here (the project's `lib` setting does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory } })
  .WebAssembly;

const PAGE = 64 * 1024;
/** What QuickJS itself needs before any guest code runs (the build's initial memory). */
const BASE_BYTES = 16 * 1024 * 1024;
/** Room for reading an error and tearing the run down after the guest hit its limit. */
const HEADROOM_BYTES = 8 * 1024 * 1024;

/** Idle engines per memory limit, kept for reuse; a run has its engine to itself until it releases it. */
const idle = new Map<number, QuickJSEngine[]>();
const MAX_IDLE_PER_LIMIT = 2;

/**
 * An engine for one run, whose WebAssembly memory can never grow past
 * `BASE_BYTES + memoryLimitBytes + HEADROOM_BYTES`: a hard ceiling enforced by WebAssembly itself, whatever the
 * guest allocates and however QuickJS counts it. Concurrent runs get separate engines, so one run's memory
 * never counts against another's. Give it back with `releaseEngine`.
 */
export async function acquireEngine(memoryLimitBytes: number): Promise<QuickJSEngine> {
  const reused = idle.get(memoryLimitBytes)?.pop();
  return reused ?? (await loadEngine(memoryLimitBytes));
}

/** Returns an engine after a run; a retired engine (broken, or left full by a memory bomb) is dropped. */
export function releaseEngine(engine: QuickJSEngine): void {
  if (engine.retired) return;
  const pool = idle.get(engine.memoryLimitBytes) ?? [];
  if (pool.length >= MAX_IDLE_PER_LIMIT) return;
  pool.push(engine);
  idle.set(engine.memoryLimitBytes, pool);
}

async function loadEngine(memoryLimitBytes: number): Promise<QuickJSEngine> {
  const maximumPages = Math.min(32768, Math.ceil((BASE_BYTES + memoryLimitBytes + HEADROOM_BYTES) / PAGE));
  const memory = new Memory({ initial: BASE_BYTES / PAGE, maximum: maximumPages });
  const module = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory as never }));
  const engine: QuickJSEngine = {
    module,
    memoryLimitBytes,
    retired: false,
    heapBytes: () => memory.buffer.byteLength,
    retire: () => {
      engine.retired = true;
    },
  };
  return engine;
}
