import cliProgress from 'cli-progress';

export type ProgressBar = { update(done: number, total: number): void; stop(): void };

const LINE_EVERY_PERCENT = 10;

/**
 * A progress bar on a terminal; into a log (CI, a pipe), one line per tenth of the work, so
 * long work shows progress there too. Silent when JSON is asked for.
 */
export function createProgressBar(label: string, enabled: boolean): ProgressBar {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  if (!process.stderr.isTTY) return progressLines(label);
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage} % | {value}/{total}`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(Math.max(total, 1), 0);
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function progressLines(label: string): ProgressBar {
  let lastPrintedPercent = -LINE_EVERY_PERCENT;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent - lastPrintedPercent < LINE_EVERY_PERCENT && percent < 100) return;
      if (percent === lastPrintedPercent) return;
      lastPrintedPercent = percent;
      process.stderr.write(`${label} : ${done}/${total} (${percent} %)\n`);
    },
    stop: () => undefined,
  };
}
