/**
 * How `connect` reads and edits one kind of client config file in place. Server entries removed from a
 * file are kept as text (`saved`) so that they can be put back exactly as they were.
 */
export interface ConfigFormat {
  /** The server entries in the file, by name; throws a CONFIG_PARSE error when the text does not parse. */
  servers(text: string, file: string): Record<string, Record<string, unknown>>;
  /** The text with `entry` set under `name`, everything else kept. */
  setEntry(text: string, name: string, entry: Record<string, unknown>): string;
  /** The text without the entries `names` (those it can remove cleanly), and each removed entry's text. */
  removeEntries(text: string, names: readonly string[]): { text: string; saved: Record<string, string> };
  /** The text with entries removed earlier put back. */
  restoreEntries(text: string, saved: Readonly<Record<string, string>>): string;
  /** Whether the text has the section servers go in (so that connect knows if it added it). */
  hasSection(text: string): boolean;
  /** The text without the servers section, if that is empty (it was added by connect). */
  dropEmptySection(text: string): string;
}
