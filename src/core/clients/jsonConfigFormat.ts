import { parse, type ParseError } from 'jsonc-parser';
import { asRecord } from '../config/foreignEntries';
import { describeParseError, lineAndColumn } from '../config/parseConfig';
import { ClientConfigError, unparseable } from './clientConfigError';
import type { ConfigFormat } from './configFormat';
import { removeMember, setMember } from '../config/jsonEdits';

const SECTION = 'mcpServers';

/**
 * JSON and JSONC client configs (`"mcpServers": { name: entry }`), edited line by line (jsonEdits.ts):
 * only the edited member's lines change, so comments, order and layout stay.
 */
export const jsonConfigFormat: ConfigFormat = {
  servers(text, file) {
    if (text.trim() === '') return {};
    const errors: ParseError[] = [];
    const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    const first = errors[0];
    if (first) {
      const { line, column } = lineAndColumn(text, first.offset);
      throw unparseable(file, line, column, describeParseError(first));
    }
    if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new ClientConfigError('CONFIG_SHAPE', `${file} does not hold a JSON object; it was left untouched.`);
    const section = (root as Record<string, unknown>)[SECTION];
    if (section !== undefined && asRecord(section) !== section) throw new ClientConfigError('CONFIG_SHAPE', `"${SECTION}" in ${file} is not an object; it was left untouched.`);
    return Object.fromEntries(Object.entries(asRecord(section)).map(([name, entry]) => [name, asRecord(entry)]));
  },

  setEntry(text, name, entry) {
    return setMember(text, SECTION, name, entry);
  },

  removeEntries(text, names) {
    const section = asRecord(asRecord(parse(text, [], { allowTrailingComma: true }))[SECTION]);
    const saved: Record<string, string> = {};
    let out = text;
    for (const name of names) {
      if (!Object.hasOwn(section, name)) continue;
      saved[name] = JSON.stringify(section[name]);
      out = removeMember(out, [SECTION, name]);
    }
    return { text: out, saved };
  },

  hasSection(text) {
    return asRecord(parse(text, [], { allowTrailingComma: true }))[SECTION] !== undefined;
  },

  dropEmptySection(text) {
    const section = asRecord(parse(text, [], { allowTrailingComma: true }))[SECTION];
    return section !== undefined && Object.keys(asRecord(section)).length === 0 ? removeMember(text, [SECTION]) : text;
  },

  restoreEntries(text, saved) {
    let out = text;
    for (const [name, json] of Object.entries(saved)) out = this.setEntry(out, name, JSON.parse(json) as Record<string, unknown>);
    return out;
  },
};
