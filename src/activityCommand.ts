import * as http from 'node:http';
import { parseArgs } from 'node:util';
import { activityLine } from './core/activity/activityText';
import type { ActivityRecord } from './core/activity/activityRecord';
import { ACTIVITY_MEMORY } from './core/activity/activityRing';
import { readText } from './core/backends/backendHttp';
import { isOversized } from './core/backends/messageLimit';
import { SseParser } from './core/backends/sseParser';
import { AGENT_FLAGS, AGENT_USAGE, agentBase } from './servingAgent';
import { UsageError } from './usageError';

export const ACTIVITY_USAGE = `Usage: onemcp activity [--json] [--follow] [--limit N] [--client NAME] [--server NAME]

The calls clients made through the running agent, oldest first, one line each: when, which client,
which server and tool (or prompt, or resource), how long it took and how it ended. Arguments and
results are never shown (the config's "activity": { "arguments": true } records arguments, secrets cut
out; --json shows them then).

Options:
${AGENT_USAGE}
      --json                 one JSON object a line (the records as the agent keeps them)
  -f, --follow               keep printing calls as they are made (Ctrl+C ends)
  -n, --limit <N>            the latest N calls (default 20; with --follow, 0 prints only new ones)
      --client <name>        only this client's calls (its clientInfo name or registered name)
      --server <name>        only calls to this server
  -h, --help                 show this help`;

const DEFAULT_LIMIT = 20;

/** `onemcp activity`: the activity record of the agent at --host/--port (`GET /activity`, or its event stream with --follow). */
export async function runActivityCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...AGENT_FLAGS,
      json: { type: 'boolean' },
      follow: { type: 'boolean', short: 'f' },
      limit: { type: 'string', short: 'n' },
      client: { type: 'string' },
      server: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${ACTIVITY_USAGE}\n`);
    return 0;
  }
  const limit = Number(values.limit ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 0 || limit > ACTIVITY_MEMORY) throw new UsageError(`--limit must be a whole number from 0 to ${ACTIVITY_MEMORY}, got "${values.limit ?? ''}"`);
  const query = new URLSearchParams({ limit: String(limit) });
  if (values.client !== undefined) query.set('client', values.client);
  if (values.server !== undefined) query.set('server', values.server);
  const base = agentBase(values, env);
  const print = (record: ActivityRecord): void => void process.stdout.write(`${values.json ? JSON.stringify(record) : activityLine(record)}\n`);
  if (values.follow) return follow(`${base}/activity/events?${query}`, print);
  const { status, text } = await get(`${base}/activity?${query}`);
  if (status !== 200) return refused(base, status, text);
  const { records } = JSON.parse(text) as { records: ActivityRecord[] };
  for (const record of records) print(record);
  if (records.length === 0 && !values.json) process.stderr.write('No calls recorded yet.\n');
  return 0;
}

/** Prints the stream's records until it ends (the agent stopped) or the user interrupts. */
function follow(url: string, print: (record: ActivityRecord) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        readText(res).then((text) => resolve(refused(new URL(url).origin, res.statusCode ?? 0, text)), reject);
        return;
      }
      const parser = new SseParser();
      res.on('data', (chunk: Buffer) => {
        for (const { data } of parser.push(chunk)) if (!isOversized(data)) print(JSON.parse(data.toString('utf8')) as ActivityRecord);
      });
      res.once('close', () => {
        process.stderr.write('The agent stopped.\n');
        resolve(0);
      });
    });
    req.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve(notRunning(new URL(url).origin)) : reject(error)));
    process.once('SIGINT', () => {
      req.destroy();
      resolve(0);
    });
  });
}

async function get(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'application/json' } }, (res) => {
      readText(res).then((text) => resolve({ status: res.statusCode ?? 0, text }), reject);
    });
    req.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve({ status: 0, text: '' }) : reject(error)));
  });
}

function refused(base: string, status: number, text: string): number {
  if (status === 0) return notRunning(base);
  let description = text;
  try {
    description = (JSON.parse(text) as { error_description?: string }).error_description ?? text;
  } catch {
    // Not JSON: shown as it came.
  }
  process.stderr.write(`The agent at ${base} answered ${status}: ${description}\n`);
  return 1;
}

function notRunning(base: string): number {
  process.stderr.write(`No agent at ${base}: start one with "onemcp serve", or name its --host and --port.\n`);
  return 1;
}
