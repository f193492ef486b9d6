import { terms } from './terms';

/**
 * Words people use for the same thing when they ask for a tool, in groups. A query term also looks for
 * the other words of its groups, at {@link RELATED_WEIGHT}: "email" finds "mail" and "message", "ticket"
 * finds "issue", "remove" finds "delete". Only general vocabulary of the kinds of tools MCP servers
 * offer; no product names.
 */
const GROUPS: readonly string[] = [
  // What to do
  'create add new make start open',
  'create schedule book arrange',
  'delete remove erase trash discard forget destroy drop cancel',
  'update edit modify modification change reschedule postpone',
  'move rename relocate',
  'get read fetch retrieve view show display',
  'list show enumerate browse',
  'search find lookup locate look',
  'send post deliver',
  'write save store',
  'download save export',
  'share upload',
  'close resolve done complete finish',
  'navigate go visit browse load',
  'click press tap',
  'select pick choose',
  'type fill enter input',
  'remember memory memorize recall knowledge fact observation forget',
  'link relate relation connect',
  // What to do it to
  'email mail inbox message',
  'message chat dm conversation',
  'issue ticket bug task story',
  'pr pull',
  'repository repo',
  'file document doc',
  'directory folder dir',
  'meeting event appointment standup',
  'invitation invite',
  'screenshot capture snapshot picture image',
  'user person people member colleague teammate',
  'comment remark',
  'channel room',
  'label tag category',
  'emoji reaction',
  'free available availability busy',
  'size big large',
  'ci workflow pipeline build',
  'vulnerability security alert',
  'dependency package library',
  'wiki page',
  'database db',
  'column field schema',
  'spreadsheet sheet',
  'javascript js script',
];

/** How much a related word counts against the word the user wrote. */
const RELATED_WEIGHT = 0.6;

/**
 * Term -> the terms of its groups, built by the first search: stemming the groups at load time cost the
 * idle agent 4.5 MiB of RSS (measured), for a feature many never use.
 */
let related: ReadonlyMap<string, readonly string[]> | undefined;

function buildRelated(groups: readonly string[]): Map<string, string[]> {
  const related = new Map<string, Set<string>>();
  for (const group of groups) {
    const stems = [...new Set(terms(group))];
    for (const term of stems) {
      const set = related.get(term) ?? new Set<string>();
      for (const other of stems) if (other !== term) set.add(other);
      related.set(term, set);
    }
  }
  return new Map([...related].map(([term, set]) => [term, [...set]]));
}

/** A web address in a request: "open example.com", "fetch https://…". */
const URL_LIKE = /\bhttps?:\/\/|\bwww\.|\b[\w-]+\.(?:com|org|net|io|dev|app|ai|co)\b/i;
/** A file name or path in a request: "notes.md", "/etc/app.yaml", "src/index.ts". */
const FILE_LIKE = /(?:^|\s)(?:\S*\/\S+|[\w-]+\.[A-Za-z][A-Za-z0-9]{0,4})(?=\s|$|[,;:!?)])/;

/**
 * The weighted terms of a request: each word the user wrote at 1; related words, and "url" or "file"
 * when the request names a web address or a file, at {@link RELATED_WEIGHT}.
 */
export function queryWeights(text: string): Map<string, number> {
  const written = terms(text);
  const weights = new Map<string, number>();
  for (const term of written) weights.set(term, 1);
  const relate = (term: string): void => void weights.set(term, Math.max(weights.get(term) ?? 0, RELATED_WEIGHT));
  related ??= buildRelated(GROUPS);
  for (const term of written) for (const other of related.get(term) ?? []) relate(other);
  if (URL_LIKE.test(text)) relate('url');
  else if (FILE_LIKE.test(text)) relate('file');
  return weights;
}
