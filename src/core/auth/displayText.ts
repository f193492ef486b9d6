/**
 * Characters that change how text reads rather than what it says: Unicode format characters (`Cf`: the
 * bidi embeddings, overrides and isolates, LRM/RLM/ALM, zero-width space and joiners, the word joiner,
 * the byte-order mark, tag characters), and the invisible fillers that render as nothing (Hangul fillers,
 * the Mongolian vowel separator).
 */
const INVISIBLE = /[\p{Cf}\u115F\u1160\u180E\u3164\uFFA0]/gu;
/** Control characters and line or paragraph separators: they could forge a log line or break a layout. */
const BREAKING = /[\p{Cc}\u2028\u2029]/gu;

/**
 * A name chosen by someone else (a client's `client_name`), as the agent shows it in approvals, pages,
 * notifications and logs: what reorders or hides text removed (a name cannot pose as another by writing
 * right to left or hiding a character), control characters and line breaks turned into spaces, runs of
 * white space made one, trimmed.
 */
export function displayText(text: string): string {
  return text.replace(INVISIBLE, '').replace(BREAKING, ' ').replace(/\s+/gu, ' ').trim();
}
