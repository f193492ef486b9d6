import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

/** One text replacement; applied from the end of the text backwards. */
interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

/**
 * Sets `section[name]` in a JSON (or JSONC) object text, touching only the lines of that member: its
 * lines are inserted after the last member in the style around them (indentation, line ends, trailing
 * comma), and no other line is re-laid out. (jsonc-parser's `modify` with formatting re-formats the
 * whole line of the neighbouring member, which can unfold someone's one-line entries.)
 */
export function setMember(text: string, section: string, name: string, value: unknown): string {
  return setAt(text, [section, name], value);
}

/**
 * Sets the member at `path` (object keys, outermost first) the way {@link setMember} does, creating the
 * objects on the way that do not exist yet. A list or a scalar that replaces one written on a single
 * line is written on a single line too. Throws when something on the way is not an object.
 */
export function setAt(text: string, path: readonly string[], value: unknown): string {
  const base = text.trim() === '' ? '{}\n' : text;
  const root = parseTree(base, [], { allowTrailingComma: true });
  if (!root) return base;
  const existing = findNodeAtLocation(root, [...path]);
  if (existing) {
    const old = base.slice(existing.offset, existing.offset + existing.length);
    const flat = !old.includes('\n') && (Array.isArray(value) || typeof value !== 'object' || value === null);
    const content = flat ? oneLine(value) : render(base, value, indentOfLine(base, existing.parent?.offset ?? existing.offset));
    return apply(base, [{ offset: existing.offset, length: existing.length, content }]);
  }
  const name = path[path.length - 1];
  if (name === undefined) throw new Error('setAt needs a path');
  const container = path.length === 1 ? root : findNodeAtLocation(root, path.slice(0, -1));
  if (!container) return setAt(base, path.slice(0, -1), { [name]: value });
  if (container.type !== 'object') throw new Error(`"${path.slice(0, -1).join('.')}" is not an object`);
  return apply(base, insertMember(base, container, name, value));
}

/** Removes the member at `path` with its lines (and the comma that separated it), leaving every other line as it was. */
export function removeMember(text: string, path: readonly string[]): string {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const property = root && findNodeAtLocation(root, [...path])?.parent;
  const siblings = property?.parent?.children;
  if (!property || !siblings) return text;
  const end = property.offset + property.length;
  const afterValue = skipInline(text, end);
  const ownComma = text[afterValue] === ',' ? afterValue : -1;
  const lineStart = text.lastIndexOf('\n', property.offset - 1) + 1;
  const restOfLine = skipComment(text, skipInline(text, ownComma >= 0 ? ownComma + 1 : end));
  const alone = text.slice(lineStart, property.offset).trim() === '' && (text[restOfLine] === '\n' || text.startsWith('\r\n', restOfLine));
  const container = property.parent;
  if (siblings.length === 1 && container) {
    // The only member: the object goes back to `{}`.
    return apply(text, [{ offset: container.offset + 1, length: container.length - 2, content: '' }]);
  }
  const previous = siblings[siblings.indexOf(property) - 1];
  // Without a comma of its own it was the last member: the one before it loses its comma (strict JSON
  // readers reject a trailing one).
  const previousComma = ownComma < 0 && previous ? skipBlank(text, previous.offset + previous.length) : -1;
  const edits: Edit[] = [];
  if (alone) {
    edits.push({ offset: lineStart, length: text.indexOf('\n', restOfLine) + 1 - lineStart, content: '' });
    if (text[previousComma] === ',') edits.push({ offset: previousComma, length: 1, content: '' });
  } else if (ownComma >= 0) {
    edits.push({ offset: property.offset, length: skipInline(text, ownComma + 1) - property.offset, content: '' });
  } else {
    const from = text[previousComma] === ',' ? previousComma : property.offset;
    edits.push({ offset: from, length: end - from, content: '' });
  }
  return apply(text, edits);
}

function insertMember(text: string, object: Node, name: string, value: unknown): Edit[] {
  const unit = indentUnit(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const members = object.children ?? [];
  const last = members[members.length - 1];
  if (!last) {
    const outer = indentOfLine(text, object.offset);
    const inner = text.slice(object.offset + 1, object.offset + object.length - 1);
    const member = `${eol}${outer}${unit}${JSON.stringify(name)}: ${render(text, value, outer + unit)}`;
    return [{ offset: object.offset + 1, length: 0, content: inner.includes('\n') ? member : `${member}${eol}${outer}` }];
  }
  const lastEnd = last.offset + last.length;
  const afterValue = skipInline(text, lastEnd);
  const trailingComma = text[afterValue] === ',';
  const lineEnd = skipComment(text, skipInline(text, trailingComma ? afterValue + 1 : afterValue));
  if (text[lineEnd] !== '\n' && !text.startsWith('\r\n', lineEnd)) {
    // Members on one line: add ours on that line too.
    return [{ offset: lastEnd, length: 0, content: `, ${JSON.stringify(name)}: ${oneLine(value)}` }];
  }
  const indent = indentOfLine(text, last.offset);
  const member = `${eol}${indent}${JSON.stringify(name)}: ${render(text, value, indent)}`;
  if (trailingComma) return [{ offset: lineEnd, length: 0, content: `${member},` }];
  return [
    { offset: lastEnd, length: 0, content: ',' },
    { offset: lineEnd, length: 0, content: member },
  ];
}

/**
 * `value` as pretty JSON in the file's indentation unit, its lines indented to sit at `indent`; a short
 * list of plain values stays on one line, as people write `"args": ["-y", "server-memory"]`.
 */
function render(text: string, value: unknown, indent: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = indentUnit(text);
  const pretty = (v: unknown, at: string): string => {
    if (Array.isArray(v) && v.every((item) => typeof item !== 'object' || item === null)) {
      const flat = oneLine(v);
      if (flat.length <= 100) return flat;
    }
    if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? 'null';
    const inner = `${at}${unit}`;
    const parts = Array.isArray(v) ? v.map((item) => pretty(item, inner)) : Object.entries(v).filter(([, m]) => m !== undefined).map(([k, m]) => `${JSON.stringify(k)}: ${pretty(m, inner)}`);
    if (parts.length === 0) return Array.isArray(v) ? '[]' : '{}';
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    return `${open}${eol}${parts.map((p) => `${inner}${p}`).join(`,${eol}`)}${eol}${at}${close}`;
  };
  return pretty(value, indent);
}

/** `value` as JSON on one line, spaced as people write it: `{ "a": 1, "b": ["x", "y"] }`. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).filter(([, v]) => v !== undefined);
    return members.length ? `{ ${members.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

/** The file's indentation unit: a tab, or the smallest run of spaces that starts a line. */
function indentUnit(text: string): string {
  if (/^\t/m.test(text)) return '\t';
  const widths = [...text.matchAll(/^( +)\S/gm)].map((m) => m[1]?.length ?? 0);
  return ' '.repeat(widths.length ? Math.min(...widths) : 2);
}

function indentOfLine(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** Past spaces, tabs and block comments on the same line. */
function skipInline(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (!text.startsWith('/*', i)) return i;
    const close = text.indexOf('*/', i + 2);
    if (close === -1 || text.slice(i, close).includes('\n')) return i;
    i = close + 2;
  }
}

/** Past a line comment, to the line end. */
function skipComment(text: string, from: number): number {
  if (!text.startsWith('//', from)) return from;
  const end = text.indexOf('\n', from);
  const at = end === -1 ? text.length : end;
  return text[at - 1] === '\r' ? at - 1 : at;
}

/** Past whitespace and comments of any kind. */
function skipBlank(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('//', i)) i = skipComment(text, i);
    else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    }
    else return i;
  }
}

/** Applies edits from the end backwards; of two at one offset, the one listed first ends up first. */
function apply(text: string, edits: readonly Edit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.offset - a.edit.offset || b.index - a.index);
  return ordered.reduce((out, { edit: e }) => out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length), text);
}
