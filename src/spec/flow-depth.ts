/**
 * A cheap scan for deeply nested flow collections (`[[[[...]]]]`) before the YAML parser sees
 * them: the parser handles them slowly and the document would be useless anyway.
 */

/** Offset of the bracket that first exceeds `max` flow nesting, or -1. */
export function flowDepthExceeded(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      i = skipTo(text, i, '\n') - 1;
      continue;
    }
    if (depth === 0) {
      if (!valueStart(text, i)) continue;
      if (c === '"' || c === "'") i = skipQuoted(text, i);
      else if (c === '[' || c === '{') depth = 1;
      continue;
    }
    if (c === '"' || c === "'") i = skipQuoted(text, i);
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) return i;
    } else if (c === ']' || c === '}') depth--;
  }
  return -1;
}

function skipTo(text: string, from: number, ch: string): number {
  const at = text.indexOf(ch, from);
  return at < 0 ? text.length : at;
}

function skipQuoted(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

/** Whether a block-context scalar may start here: after `:`, `-`, `?` or at a line's start. */
function valueStart(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const c = text[j];
    if (c === ' ' || c === '\t') continue;
    return c === '\n' || c === ':' || c === '-' || c === '?';
  }
  return true;
}
