// A progress bar on stderr, only on a terminal, and only once work has taken a second.
export interface Progress {
  update(fraction: number): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let shown = false, lastDraw = 0;
  return {
    update(fraction) {
      const now = Date.now();
      if (now - started < 1000 || now - lastDraw < 100) return;
      lastDraw = now;
      shown = true;
      const width = 30, f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * width);
      const eta = f > 0 ? ((now - started) / f - (now - started)) / 1000 : 0;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%  ${eta.toFixed(0)}s left `);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
