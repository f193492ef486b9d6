import { lineAndColumn } from '../config/parseConfig';

/** A TOML file that does not parse: where, and why. Positions are 1-based. */
export class TomlError extends Error {
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'TomlError';
  }
}

/** Where a `[table]` or `[[array.table]]` header and the key/value lines under it sit in the text. */
export interface TomlTable {
  readonly path: readonly string[];
  readonly array: boolean;
  /** Offset of the start of the header's line. */
  readonly start: number;
  /** Offset just past the line of the table's last key/value (or of the header itself). */
  end: number;
}

export interface TomlDocument {
  readonly value: Record<string, unknown>;
  readonly tables: readonly TomlTable[];
}

type Table = Record<string, unknown>;

const BARE_KEY = /[A-Za-z0-9_-]+/y;
const DATE_TIME = /\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?/y;
const INTEGER = /[+-]?(?:0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*)/y;
const DECIMAL = /[+-]?(?:inf|nan|\d(?:_?\d)*(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)/y;
const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };

/**
 * Parses TOML (v1.0; inline tables may also span lines, as TOML 1.1 allows) into plain values, and
 * records where each table header and its lines are, so that a caller can insert or remove a table in
 * place without re-serializing anyone's file. Dates and times are kept as their text.
 */
export function parseToml(text: string): TomlDocument {
  return new Parser(text).parse();
}

/** `key` as a TOML key: bare when it can be, else a basic string. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** `value` as a TOML basic string. */
export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

class Parser {
  private i = 0;
  private readonly root: Table = {};
  private current: Table = this.root;
  private table?: TomlTable;
  private readonly tables: TomlTable[] = [];
  /** Tables a header defined, and inline tables and arrays, which nothing may extend later. */
  private readonly closed = new WeakSet<object>();
  private readonly headed = new WeakSet<object>();

  constructor(private readonly text: string) {}

  parse(): TomlDocument {
    if (this.text.startsWith('\uFEFF')) this.i = 1;
    while (this.i < this.text.length) {
      this.skipSpace();
      const c = this.text[this.i];
      if (c === undefined) break;
      if (c === '#' || c === '\n' || c === '\r') {
        this.endOfLine();
        continue;
      }
      if (c === '[') {
        this.header();
      } else {
        this.keyValue(this.current);
        this.endOfLine();
        if (this.table) this.table.end = this.i;
      }
    }
    return { value: this.root, tables: this.tables };
  }

  private header(): void {
    const start = this.text.lastIndexOf('\n', this.i - 1) + 1;
    const array = this.text.startsWith('[[', this.i);
    this.i += array ? 2 : 1;
    this.skipSpace();
    const path = this.dottedKey();
    if (!this.text.startsWith(array ? ']]' : ']', this.i)) this.fail(`expected "${array ? ']]' : ']'}" to close the table header`);
    this.i += array ? 2 : 1;
    let parent = this.root;
    for (const key of path.slice(0, -1)) parent = this.descend(parent, key, true);
    const last = path[path.length - 1] ?? '';
    if (array) {
      const list = own(parent, last) ?? put(parent, last, []);
      if (!Array.isArray(list) || this.closed.has(list)) this.fail(`"${path.join('.')}" is not an array of tables`);
      const created: Table = {};
      list.push(created);
      this.current = created;
    } else {
      const existing = own(parent, last);
      if (existing !== undefined && (!isTable(existing) || this.headed.has(existing) || this.closed.has(existing))) this.fail(`"${path.join('.')}" is defined twice`);
      const created = existing ?? put(parent, last, {});
      this.headed.add(created);
      this.current = created as Table;
    }
    this.endOfLine();
    this.table = { path, array, start, end: this.i };
    this.tables.push(this.table);
  }

  /** The table at `key` in `parent`, created if missing; the last element of an array of tables. */
  private descend(parent: Table, key: string, viaHeader: boolean): Table {
    const value = own(parent, key) ?? put(parent, key, {});
    if (Array.isArray(value) && viaHeader && !this.closed.has(value)) return value[value.length - 1] as Table;
    if (!isTable(value) || this.closed.has(value) || (!viaHeader && this.headed.has(value))) this.fail(`"${key}" is already defined as something else`);
    return value;
  }

  private keyValue(target: Table): void {
    const path = this.dottedKey();
    this.skipSpace();
    if (this.text[this.i] !== '=') this.fail('expected "=" after the key');
    this.i++;
    this.skipSpace();
    const value = this.value();
    let table = target;
    for (const key of path.slice(0, -1)) table = this.descend(table, key, false);
    const last = path[path.length - 1] ?? '';
    if (Object.hasOwn(table, last)) this.fail(`"${path.join('.')}" is defined twice`);
    put(table, last, value);
  }

  private dottedKey(): string[] {
    const keys = [this.key()];
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] !== '.') return keys;
      this.i++;
      this.skipSpace();
      keys.push(this.key());
    }
  }

  private key(): string {
    const c = this.text[this.i];
    if (c === '"' || c === "'") {
      if (this.text.startsWith(c.repeat(3), this.i)) this.fail('a key cannot be a multi-line string');
      return this.string();
    }
    const bare = this.match(BARE_KEY);
    if (bare === undefined) this.fail('expected a key');
    return bare;
  }

  private value(): unknown {
    const c = this.text[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    if (this.text.startsWith('true', this.i) && !/[\w-]/.test(this.text[this.i + 4] ?? '')) return this.advance(4, true);
    if (this.text.startsWith('false', this.i) && !/[\w-]/.test(this.text[this.i + 5] ?? '')) return this.advance(5, false);
    const date = this.match(DATE_TIME);
    if (date !== undefined) return date.trimEnd();
    const integer = this.match(INTEGER);
    if (integer !== undefined) return Number(integer.replace(/_/g, '').replace(/^\+/, ''));
    const decimal = this.match(DECIMAL);
    if (decimal !== undefined) return decimal.endsWith('inf') ? (decimal.startsWith('-') ? -Infinity : Infinity) : decimal.endsWith('nan') ? NaN : Number(decimal.replace(/_/g, ''));
    return this.fail('expected a value (a string, number, boolean, date, array or inline table)');
  }

  private array(): unknown[] {
    const list: unknown[] = [];
    this.sequence(']', 'array', () => list.push(this.value()));
    this.closed.add(list);
    return list;
  }

  private inlineTable(): Table {
    const table: Table = {};
    this.sequence('}', 'inline table', () => this.keyValue(table));
    this.closed.add(table);
    return table;
  }

  /** Comma-separated items up to `close`: line breaks, comments and a trailing comma are allowed. */
  private sequence(close: string, what: string, item: () => void): void {
    this.i++;
    for (;;) {
      this.skipBlank();
      if (this.text[this.i] === close) break;
      item();
      this.skipBlank();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== close) this.fail(`expected "," or "${close}" in the ${what}`);
    }
    this.i++;
  }

  private string(): string {
    const quote = this.text[this.i] as '"' | "'";
    const multi = this.text.startsWith(quote.repeat(3), this.i);
    this.i += multi ? 3 : 1;
    if (multi && this.text[this.i] === '\r' && this.text[this.i + 1] === '\n') this.i += 2;
    else if (multi && this.text[this.i] === '\n') this.i++;
    let out = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('the string is not closed');
      if (c === quote && (!multi || this.text.startsWith(quote.repeat(3), this.i))) {
        if (!multi) {
          this.i++;
          return out;
        }
        // Up to two quotes right before the closing three belong to the string.
        let extra = 0;
        while (extra < 2 && this.text[this.i + 3 + extra] === quote) extra++;
        this.i += 3 + extra;
        return out + quote.repeat(extra);
      }
      if ((c === '\n' || c === '\r') && !multi) this.fail('a single-line string cannot contain a line break');
      if (c === '\\' && quote === '"') {
        out += this.escape(multi);
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private escape(multi: boolean): string {
    const next = this.text[this.i + 1] ?? '';
    if (multi && /[ \t\r\n]/.test(next)) {
      // A backslash ending a line trims the line break and the whitespace after it.
      const rest = /\\[ \t]*\r?\n[ \t\r\n]*/y;
      rest.lastIndex = this.i;
      if (!rest.test(this.text)) this.fail('only whitespace may follow a line-ending backslash');
      this.i = rest.lastIndex;
      return '';
    }
    if (next === 'u' || next === 'U') {
      const hex = this.text.slice(this.i + 2, this.i + (next === 'u' ? 6 : 10));
      const code = /^[0-9A-Fa-f]+$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (hex.length !== (next === 'u' ? 4 : 8) || !(code <= 0x10ffff)) this.fail(`invalid unicode escape \\${next}${hex}`);
      this.i += 2 + hex.length;
      return String.fromCodePoint(code);
    }
    const char = ESCAPES[next];
    if (char === undefined) this.fail(`invalid escape \\${next}`);
    this.i += 2;
    return char;
  }

  /** After an expression: spaces, an optional comment, then a line break or the end. */
  private endOfLine(): void {
    this.skipSpace();
    if (this.text[this.i] === '#') {
      while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
    }
    if (this.text.startsWith('\r\n', this.i)) this.i += 2;
    else if (this.text[this.i] === '\n') this.i++;
    else if (this.i < this.text.length) this.fail('expected the end of the line');
  }

  private skipSpace(): void {
    while (this.text[this.i] === ' ' || this.text[this.i] === '\t') this.i++;
  }

  /** Whitespace, line breaks and comments, as allowed inside arrays. */
  private skipBlank(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '#') while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
      else return;
    }
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.i;
    const found = pattern.exec(this.text)?.[0];
    if (found !== undefined) this.i += found.length;
    return found;
  }

  private advance<T>(length: number, value: T): T {
    this.i += length;
    return value;
  }

  private fail(reason: string): never {
    const { line, column } = lineAndColumn(this.text, this.i);
    throw new TomlError(line, column, reason);
  }
}

/** What `table` holds itself under `key`: a key may be any name, `constructor` or `__proto__` too. */
function own(table: Table, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Sets `key` of `table` as its own property, whatever its name (assigning `__proto__` would replace the prototype). */
function put<T>(table: Table, key: string, value: T): T {
  Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
