import { NAMESPACE_SEPARATOR } from '../aggregate/naming';
import { stem } from './porterStemmer';

/**
 * Words that say nothing about which tool is meant, in tool descriptions or in requests ("please list
 * all my ..."). Kept short: a word that tells tools apart ("new", "all", "not") is left to BM25's idf.
 */
const STOP_WORDS = new Set(
  (
    'a an the and or of to in on for with by from at as is are was were be been being it its this that these those ' +
    'i me my mine we us our you your he she they them their his her please can could would should will shall may might ' +
    'do does did have has had some there here what which who whom whose how into onto about via using use want need like just ' +
    'also then so if than too very any all each every other such own same only'
  ).split(' '),
);

/** Camel case boundaries ("createPullRequest", "getHTTPHeader") become spaces. */
const CAMEL_LOWER_UPPER = /([a-z0-9])([A-Z])/g;
const CAMEL_ACRONYM = /([A-Z]+)([A-Z][a-z])/g;
const NON_WORD = /[^A-Za-z0-9]+/;

/**
 * The words of a name or a text, lower case: identifiers split at `_`, `-`, `.`, camel case and the
 * `<server>_1mcp_<tool>` namespace separator, so "github_1mcp_createPullRequest" gives "github create
 * pull request".
 */
export function words(text: string): string[] {
  return text
    .replaceAll(NAMESPACE_SEPARATOR, ' ')
    .replace(CAMEL_ACRONYM, '$1 $2')
    .replace(CAMEL_LOWER_UPPER, '$1 $2')
    .split(NON_WORD)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Stems of words seen, since tool texts repeat their words a lot; cleared when it grows past a bound. */
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 50_000;

function cachedStem(word: string): string {
  let result = stems.get(word);
  if (result === undefined) {
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    result = stem(word);
    stems.set(word, result);
  }
  return result;
}

/** The index terms of a text: its words of two letters or more, less stop words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) if (word.length > 1 && !STOP_WORDS.has(word)) out.push(cachedStem(word));
  return out;
}
