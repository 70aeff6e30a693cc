/**
 * Coalesces many small writes (apply prints a line per finished action) into a few: each write to
 * a pipe is a system call that wakes the reader, and a thousand of them cost more CPU than the
 * lines are worth. Text waits at most `delayMs`, so progress still shows as it happens.
 */
export interface CoalescedOutput {
  write(text: string): void;
  /** Writes what is pending now. */
  flush(): void;
}

export function coalescedOutput(
  write: (text: string) => void,
  delayMs = 50,
  maxChars = 64 * 1024,
): CoalescedOutput {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  }
  return {
    write(text) {
      pending += text;
      if (pending.length >= maxChars) flush();
      else timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
