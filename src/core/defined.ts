/**
 * Drops the undefined members of an object literal, so optional fields can be filled from
 * possibly-undefined values under exactOptionalPropertyTypes (protobuf-es constructors reject an
 * explicit `undefined` too). Pure.
 */
export function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
