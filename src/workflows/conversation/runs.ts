import type { ConversationCommand, ConversationRun } from '../../domain';
import { findRun, runningRuns, type ConversationContext } from './context';

const RUNS_SHOWN = 10;

/** `/status`, `/runs`, `/cancel [run]` and `/rerun [run]`: the user's view of the jobs this conversation started. */
export async function handleRuns(ctx: ConversationContext, messageId: number, command: Extract<ConversationCommand, { kind: 'status' | 'runs' | 'cancel' | 'rerun' }>): Promise<void> {
  const { state, reply } = ctx;
  switch (command.kind) {
    case 'status': {
      const now = runningRuns(state);
      const waiting = state.pendingChat ? `\nWaiting for what to look for in ${state.pendingChat} (or /go).` : '';
      return reply(messageId, (now.length === 0 ? 'Nothing is running.' : now.map((r) => `Run ${r.run}: ${r.chat} — running`).join('\n')) + waiting);
    }
    case 'runs': {
      const last = state.runs.slice(-RUNS_SHOWN).reverse();
      return reply(messageId, last.length === 0 ? 'No runs yet.' : last.map(describeRun).join('\n'));
    }
    case 'cancel': {
      const run = findRun(state, command.run, (r) => r.state === 'running');
      if (!run || run.state !== 'running') return reply(messageId, command.run ? `Run ${command.run} is not running: /runs lists them.` : 'Nothing is running.');
      ctx.scopes.get(run.run)?.cancel();
      return reply(messageId, `Stopping run ${run.run} (${run.chat})…`);
    }
    case 'rerun': {
      const run = findRun(state, command.run, () => true);
      if (!run) return reply(messageId, command.run ? `There is no run ${command.run}: /runs lists them.` : 'No run to repeat yet.');
      return ctx.runJob(messageId, run.job ?? { kind: 'summarize', chat: run.chat, ...(run.prompt ? { prompt: run.prompt } : {}) });
    }
  }
}

function describeRun(r: ConversationRun): string {
  const quoted = r.prompt ? ` "${r.prompt.length > 40 ? `${r.prompt.slice(0, 40)}…` : r.prompt}"` : '';
  const job = r.job;
  const kind = !job || job.kind === 'summarize' ? '' : job.kind === 'ask' ? 'ask ' : job.kind === 'recap' ? `recap ${job.week ?? 'last week'} of ` : `export ${job.what} of `;
  const counted = job?.kind === 'export' && job.what === 'members' ? 'members' : 'messages';
  const detail = r.state === 'done' ? `done, ${r.messages ?? 0} ${counted}` : r.state === 'failed' ? `failed: ${r.error ?? ''}` : r.state;
  return `Run ${r.run}: ${kind}${r.chat}${quoted} — ${detail}`;
}
