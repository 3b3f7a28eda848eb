/** What the run's live stream sends (src/api/console/runProgress.ts): only the fields used here. */
interface RunProgress {
  readonly phase?: string;
  readonly status?: string;
  readonly settled: boolean;
  readonly statusText?: string;
  readonly opsText?: string;
}

/** The live region speaks at most this often about progress alone; a new phase or status speaks at once. */
const PROGRESS_ANNOUNCED_EVERY_MS = 30_000;
/** A stream the server refused (a session ended, say): the page reloads after this long, as without script. */
const RELOAD_AFTER_REFUSAL_MS = 5000;

/**
 * A moving run's page (`data-live-run` names its stream) updates its status and ops in place as the
 * run moves, and reloads once when the run finishes or is held, to show the final page with its diff.
 */
export function followLiveRun(root: Document): void {
  const region = root.querySelector<HTMLElement>('[data-live-run]');
  const url = region?.dataset.liveRun;
  if (!region || !url) return;
  const status = root.querySelector<HTMLElement>('[data-live="status"]');
  const ops = root.querySelector<HTMLElement>('[data-live="ops"]');
  let spoken = { stage: '', at: 0 };
  const source = new EventSource(url);
  source.addEventListener('progress', (message) => {
    const progress = JSON.parse((message as MessageEvent<string>).data) as RunProgress;
    if (progress.settled) {
      source.close();
      window.location.reload();
      return;
    }
    if (status && progress.statusText) status.textContent = progress.statusText;
    if (ops && progress.opsText) ops.textContent = progress.opsText;
    const stage = `${progress.status}/${progress.phase}`;
    const now = Date.now();
    if (stage !== spoken.stage || now - spoken.at >= PROGRESS_ANNOUNCED_EVERY_MS) {
      region.textContent = `${progress.statusText ?? ''}: ${progress.opsText ?? ''}`;
      spoken = { stage, at: now };
    }
  });
  source.addEventListener('error', () => {
    // The browser reconnects by itself after a dropped stream; a refused one stays closed.
    if (source.readyState === EventSource.CLOSED) {
      window.setTimeout(() => window.location.reload(), RELOAD_AFTER_REFUSAL_MS);
    }
  });
}
