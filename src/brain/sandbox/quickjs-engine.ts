/**
 * The QuickJS WebAssembly instance a sandbox worker runs on: its own instance (never the library-wide
 * singleton), with a WebAssembly memory whose maximum size is fixed when it is created.
 *
 * Why a hard memory ceiling: QuickJS's own memory limit counts a fixed overhead per allocation in this build
 * (its allocator cannot report usable sizes), so many small allocations slip past it. A WebAssembly memory
 * with a `maximum` cannot grow past it: malloc fails and QuickJS throws "out of memory" inside the guest.
 */
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from "quickjs-emscripten";

export interface QuickJSEngine {
  readonly module: QuickJSWASMModule;
  readonly memoryLimitBytes: number;
  /** The guest's memory grew past its limit (into the headroom kept for reading errors and tearing down). */
  pastLimit(): boolean;
  /** The memory grew past half the limit (it never shrinks: the next run would start short of room). */
  grownPastHalf(): boolean;
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

/**
 * An engine whose WebAssembly memory can never grow past `BASE_BYTES + memoryLimitBytes + HEADROOM_BYTES`: a
 * hard ceiling enforced by WebAssembly itself, whatever the guest allocates and however QuickJS counts it.
 * Each sandbox worker owns one and runs one program at a time on it.
 */
export async function loadEngine(memoryLimitBytes: number): Promise<QuickJSEngine> {
  const maximumPages = Math.min(32768, Math.ceil((BASE_BYTES + memoryLimitBytes + HEADROOM_BYTES) / PAGE));
  const memory = new Memory({ initial: BASE_BYTES / PAGE, maximum: maximumPages });
  // The engine's own prints (an abort message) stay off the host's stderr: the abort reaches the run as an error.
  const quiet = { print: () => {}, printErr: () => {} };
  const module = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory as never, emscriptenModule: quiet as never }));
  const engine: QuickJSEngine = {
    module,
    memoryLimitBytes,
    pastLimit: () => memory.buffer.byteLength > BASE_BYTES + memoryLimitBytes,
    grownPastHalf: () => memory.buffer.byteLength > BASE_BYTES + memoryLimitBytes / 2,
  };
  return engine;
}
