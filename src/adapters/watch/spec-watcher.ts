/**
 * Watches the spec paths (chokidar) and reports, debounced, that something changed. Editors'
 * atomic saves (write temp + rename), deletions, renames and a whole `git pull` arrive as bursts
 * of events; one quiet period after the last of them yields one reload. Events can still be
 * missed (inotify limits, network filesystems): the daemon re-reads the files on every interval.
 */
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface SpecWatcherOptions {
  paths: readonly string[];
  cwd: string;
  /** Quiet period after the last event; default 200 ms. */
  debounceMs?: number;
  /** Called once per burst with the paths that changed (absolute). */
  onChange: (changed: string[]) => void;
  onError?: (error: unknown) => void;
}

export interface SpecWatcher {
  /** Resolves once the initial scan is done (events after it are changes), or on close. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const SPEC_FILE = /\.ya?ml$/i;

/**
 * A Kubernetes ConfigMap or Secret volume updates by writing a new hidden `..<timestamp>`
 * directory and renaming a `..data_tmp` symlink over `..data` (the visible files are symlinks
 * through `..data`). The timestamped directories stay ignored; `..data` is watched, so its swap
 * arrives as events under `..data/`.
 */
const CONFIGMAP_LINK = '..data';

function isHidden(name: string): boolean {
  return name.startsWith('.') && name !== '.' && name !== '..' && name !== CONFIGMAP_LINK;
}

export function watchSpecs(opts: SpecWatcherOptions): SpecWatcher {
  const debounceMs = opts.debounceMs ?? 200;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch([...opts.paths], {
    cwd: opts.cwd,
    ignoreInitial: true,
    // Dotfiles (editor swap files, .git) never hold specs.
    ignored: (path: string) => isHidden(basename(path)),
    atomic: true,
    // Symlinked directories are watched through (as readSpecFiles reads through them).
    followSymlinks: true,
  });

  function fire(): void {
    timer = undefined;
    const changed = [...pending];
    pending = new Set();
    if (changed.length > 0) opts.onChange(changed);
  }

  watcher.on('all', (event, path) => {
    // Directory events matter too: `rm -r rooms/team` sends unlinkDir, a checkout adds dirs.
    const isDir = event === 'addDir' || event === 'unlinkDir';
    if (!isDir && !SPEC_FILE.test(path)) return;
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  });
  watcher.on('error', (err) => opts.onError?.(err));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  watcher.once('ready', () => markReady());

  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      // A watcher closed before its scan finished never emits 'ready'; its awaiters must not hang.
      markReady();
      await watcher.close();
    },
  };
}
