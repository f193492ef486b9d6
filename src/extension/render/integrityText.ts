import type { PendingConfirmation } from '../../core/integrity/callConfirmations';
import type { ToolReview } from '../../core/integrity/toolPins';

/** The notification for a tool held back: "‹server› changed ‹tool›", or offers a new one. */
export function toolReviewText(review: Pick<ToolReview, 'server' | 'tool' | 'change'>): string {
  const what = review.change === 'changed' ? `${review.server} changed ${review.tool}` : `${review.server} offers a new tool ${review.tool}`;
  return `1MCP: ${what}. It is held back from every client until you accept it.`;
}

/** The question after the diff has opened. */
export function acceptQuestionText(review: Pick<ToolReview, 'server' | 'tool' | 'change'>): string {
  return `1MCP: Accept ${review.server} › ${review.tool} as the diff shows it? Every client sees the new definition then.`;
}

/** The diff editor's title. */
export function toolDiffTitle(review: Pick<ToolReview, 'server' | 'tool' | 'change'>): string {
  return `${review.server} › ${review.tool}: ${review.change === 'changed' ? 'accepted ↔ offered now' : 'new tool'}`;
}

/** The path of one side of a tool's diff: safe for any tool name, and new for each offered definition. */
export function toolDiffPath(review: Pick<ToolReview, 'server' | 'tool' | 'hash'>, side: 'accepted' | 'offered'): string {
  return `/${encodeURIComponent(review.server)}/${encodeURIComponent(review.tool)}/${review.hash.slice(7, 19)}/${side}.json`;
}

/** How much of the arguments a notification shows (the client's question shows them all). */
const ARGUMENTS_SHOWN = 300;

/** The notification asking whether a client may run a tool, with its arguments on one line. */
export function confirmationText(pending: PendingConfirmation): string {
  const args = pending.arguments.replace(/\s*\n\s*/g, ' ');
  const shown = args.length > ARGUMENTS_SHOWN ? `${args.slice(0, ARGUMENTS_SHOWN)}…` : args;
  return `1MCP: Allow ${pending.client} to run ${pending.server} › ${pending.tool}? Arguments: ${shown}`;
}

/** A held tool as `server/tool`: how the dashboard names it to a command (server names have no `/`). */
export function heldToolArg(review: Pick<ToolReview, 'server' | 'tool'>): string {
  return `${review.server}/${review.tool}`;
}
