import type { DashboardCommand, FromWebview } from '../src/shared/dashboardProtocol';

/** Posts a message to the extension. */
export type Send = (message: FromWebview) => void;

/** Builds an element; text goes in as text, never as HTML. */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A toolkit button that runs `onClick`. */
export function actionButton(label: string, attrs: Record<string, string>, onClick: () => void, appearance = 'secondary'): HTMLElement {
  const element = h('vscode-button', { appearance, ...attrs }, label);
  element.addEventListener('click', onClick);
  return element;
}

export interface CommandButtonOptions {
  /** The backend name or client id the command is for. */
  readonly arg?: string;
  /** What a screen reader names after the label (default `arg`). */
  readonly subject?: string;
  readonly appearance?: 'primary' | 'secondary';
}

/** A button that asks the extension to run one of the dashboard's commands, for a backend or client. */
export function commandButton(label: string, command: DashboardCommand, send: Send, options: CommandButtonOptions = {}): HTMLElement {
  const { arg, subject = arg, appearance } = options;
  const attrs: Record<string, string> = { 'data-command': command, ...(arg ? { 'data-arg': arg } : {}), 'aria-label': subject ? `${label} ${subject}` : label };
  return actionButton(label, attrs, () => send({ type: 'command', command, arg }), appearance);
}

/** A local date and time, for expiry and last-use columns. */
export function when(ms: number): string {
  return new Date(ms).toLocaleString();
}
