/**
 * Positions of a loaded spec's nodes without holding its parsed YAML document: the file's text is
 * parsed again the first time any of its specs is asked for a position (semantic diagnostics,
 * which are rare). Keeping every document's syntax tree alive costs more memory than the specs.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { makeLocator, type Locator } from './positions.ts';

/** One per file: `locatorFor(i)` locates inside the file's i-th document. */
export function lazyLocators(text: string): (index: number) => Locator {
  let parsed: { docs: Document.Parsed[]; lineCounter: LineCounter } | undefined;
  const locators = new Map<number, Locator>();
  return (index) => (path, useKey) => {
    parsed ??= (() => {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, strict: true });
      return { docs: Array.isArray(docs) ? docs : [docs], lineCounter };
    })();
    let locate = locators.get(index);
    if (!locate) {
      const doc = parsed.docs[index];
      if (!doc) return { line: 1, col: 1 };
      locate = makeLocator(doc, parsed.lineCounter);
      locators.set(index, locate);
    }
    return locate(path, useKey);
  };
}
