// The two modules test/workers/worker.ts imports from the Worker's own module list: the engine's
// wasm-bindgen glue (`pkg/orgkit_wasm.js` of @orgkit/engine, passed to `loadOrgkit` as an
// opaque module) and its Wasm, which workerd hands over compiled.

declare module "*/orgkit_wasm.js" {
  export function initSync(options: { module: WebAssembly.Module }): unknown;
}

declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
