import { SingleBar } from 'cli-progress';
import type { JobProgress } from '../../domain';

/**
 * Shows a run's progress: a live bar on a terminal, one line per phase change otherwise (CI logs, pipes).
 * The total is unknown while extracting, so the bar shows the phase and the count, not a percentage.
 */
export function progressView(stream: NodeJS.WriteStream = process.stderr, unit = 'messages') {
  let last = '';
  const bar = stream.isTTY
    ? new SingleBar({ format: `{phase} | {messages} ${unit}{extra}`, stream, hideCursor: true, clearOnComplete: true }, undefined)
    : null;
  let started = false;
  return {
    update(p: JobProgress): void {
      const extra = p.resumesAt ? ` | held back by Telegram (a flood wait, or a data export awaiting approval); resuming at ${p.resumesAt}` : '';
      if (bar) {
        if (!started) bar.start(1, 0, { phase: p.phase, messages: p.messages, extra });
        started = true;
        bar.update(0, { phase: p.phase, messages: p.messages, extra });
        return;
      }
      const line = `${p.phase}${p.phase === 'extracting' ? '' : ` (${p.messages} ${unit})`}${extra}`;
      if (p.phase !== last.split(' ')[0]) stream.write(`  ${line}\n`);
      last = line;
    },
    stop(): void {
      if (bar && started) bar.stop();
    },
  };
}
