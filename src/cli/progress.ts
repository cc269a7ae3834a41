// Progress on stderr, once work has taken a while. On a terminal, a bar redrawn in place after a
// second; elsewhere (CI logs, pipes) a plain line after five seconds and then each time another
// tenth is done or 30 s have passed, so a long run shows it is alive without flooding the log.
export interface Progress {
  update(fraction: number): void;
  done(): void;
}

/** Where progress goes: a stream with an isTTY flag, and a clock (ms), both replaceable in tests. */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export const LINE_DELAY_MS = 5000;
export const LINE_EVERY_MS = 30_000;
export const LINE_EVERY_FRACTION = 0.1;

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export function progressBar(label: string, stream: ProgressSink = process.stderr, now: () => number = Date.now): Progress {
  return stream.isTTY ? terminalBar(label, stream, now) : progressLines(label, stream, now);
}

function terminalBar(label: string, stream: ProgressSink, now: () => number): Progress {
  const started = now();
  let shown = false, lastDraw = 0;
  return {
    update(fraction) {
      const t = now();
      if (t - started < 1000 || t - lastDraw < 100) return;
      lastDraw = t;
      shown = true;
      const width = 30, f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * width);
      const eta = f > 0 ? ((t - started) / f - (t - started)) / 1000 : 0;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%  ${eta.toFixed(0)}s left `);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

function progressLines(label: string, stream: ProgressSink, now: () => number): Progress {
  const started = now();
  let lastTime = -Infinity, lastFraction = 0;
  return {
    update(fraction) {
      const t = now(), elapsed = t - started;
      if (elapsed < LINE_DELAY_MS) return;
      const f = Math.max(0, Math.min(1, fraction));
      if (f - lastFraction < LINE_EVERY_FRACTION && t - lastTime < LINE_EVERY_MS) return;
      lastTime = t;
      lastFraction = f;
      const left = f > 0 ? ` (about ${seconds(elapsed / f - elapsed)} left)` : '';
      stream.write(`${label}: ${Math.floor(f * 100)}% after ${seconds(elapsed)}${left}\n`);
    },
    done() {},
  };
}
