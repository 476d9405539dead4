/**
 * A copy of an object parsed from someone else's JSON (a caller's body, a provider's answer) with
 * some keys set, for re-serializing. Not `{ ...source, key }`, which gives every copy a hidden class
 * of its own in Node 20's V8 (specs/proxy.md, "Spread copies"), and not `Object.assign({}, ...)`,
 * which would turn a `__proto__` key of the JSON into the copy's prototype and drop it from the
 * output: the target has no prototype, so every key stays an own key, in the source's order.
 */
export function jsonCopyWith(
  source: object,
  changes: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, source, changes);
}
