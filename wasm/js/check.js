// The fields of a `check` input that `Engine.check` passes to the engine as they are, with no
// JSON text: only inputs whose JSON text the call API would decode to the same request. Any
// other input (another key, a wrong type, a non-empty context, resource attributes, an
// unsafe integer, a string with a lone surrogate, which JSON text keeps but Wasm strings
// cannot) goes through the JSON call, which answers it exactly.

const wellFormed = String.prototype.isWellFormed
  ? (text) => text.isWellFormed()
  : (text) => !/[\uD800-\uDFFF]/.test(text);

const isText = (value) => typeof value === "string" && wellFormed(value);

const isPlain = (value) =>
  value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/** How many enumerable keys a plain object has. */
function keyCount(object) {
  let count = 0;
  for (const _ in object) count += 1;
  return count;
}

/**
 * `[staff, principal, active_org, action, type, id, org, now]` for the engine's `checkFields`,
 * or null when `input` is not of that plain shape.
 */
export function checkFields(input) {
  if (!isPlain(input)) return null;
  const { principal, active_org, action, resource, now, context } = input;
  if (keyCount(input) !== (context === undefined ? 5 : 6)) return null;
  if (context !== undefined && !(isPlain(context) && keyCount(context) === 0)) return null;
  if (!isPlain(principal) || keyCount(principal) !== 1 || !isPlain(resource)) return null;
  const staff = Object.hasOwn(principal, "staff");
  const id = staff ? principal.staff : principal.user;
  const { type, id: resourceId, org } = resource;
  if (keyCount(resource) !== (org === undefined ? 2 : 3)) return null;
  if (!isText(id) || !isText(active_org) || !isText(action) || !isText(type) || !isText(resourceId)) {
    return null;
  }
  if (org !== undefined && org !== null && !isText(org)) return null;
  if (!Number.isSafeInteger(now)) return null;
  return [staff, id, active_org, action, type, resourceId, org ?? undefined, now];
}
