import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { HttpError } from '../../httpError';
import { errorMessage, type Logger } from '../../logger';
import { html, SafeHtml } from './html';

export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  readonly status?: number;
  /** Reload to this (same-origin) URL after `seconds`: how a waiting page continues without script. */
  readonly refresh?: { readonly seconds: number; readonly url: string };
}

const STYLE = new SafeHtml(`
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
  section { margin-block: 2rem; }
  article { border: 1px solid GrayText; border-radius: .5rem; padding: 1rem; margin-block: 1rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  fieldset { margin-block: 1rem; } label { margin-inline-end: 1rem; }
  button { font: inherit; padding: .25rem 1rem; margin-inline-end: .5rem; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: start; padding: .25rem .5rem; border-bottom: 1px solid GrayText; }
  .note { font-style: italic; }
`);

/**
 * Sends a complete HTML page with the headers every agent page carries: a strict Content Security
 * Policy (no script at all, styles only by nonce, forms only to this origin, no framing), no caching,
 * no referrer beyond this origin (page URLs may carry a one-time handle; `no-referrer` would also make
 * browsers send `Origin: null` on the dashboard's own form posts), and no MIME sniffing.
 */
export function sendPage(res: Response, page: PageOptions): void {
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  const refresh = page.refresh && html`<meta http-equiv="refresh" content="${`${page.refresh.seconds};url=${page.refresh.url}`}">`;
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}
<title>${page.title} &middot; 1MCP</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<h1>${page.title}</h1>
${page.body}
</main>
</body>
</html>
`;
  res.status(page.status ?? 200).type('html').send(document.value);
}

/**
 * What a page says went wrong: an HttpError as it is, whatever its status (its message was written for
 * the person reading the page: the user at the dashboard, or coming back from a sign-in); anything else
 * goes to the log and is said in general, as a 500. A page never turns into a JSON error.
 */
export function pageError(error: unknown, logger: Logger, during: string): HttpError {
  if (error instanceof HttpError) {
    if (error.status >= 500) logger.warn(`${during}: ${error.message}`);
    return error;
  }
  logger.error(`${during} failed: ${error instanceof Error ? (error.stack ?? errorMessage(error)) : String(error)}`);
  return new HttpError(500, 'server_error', 'Something went wrong; the 1MCP log says what.');
}
