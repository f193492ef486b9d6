import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { NAMESPACE_SEPARATOR } from '../aggregate/naming';
import { queryWeights } from './synonyms';
import { terms } from './terms';

/** A tool as the index sees it: the tool clients are sent, and the server it comes from. */
export interface IndexedTool {
  readonly tool: Tool;
  /** The backend's name in the config. */
  readonly server: string;
  /** Further words for the server: its prefix and tags. */
  readonly serverWords: readonly string[];
}

/** One ranked match. */
export interface ToolMatch {
  readonly entry: IndexedTool;
  readonly score: number;
}

/**
 * The fields of a tool document, with BM25F weights and length normalisation (Robertson, Zaragoza and
 * Taylor, "Simple BM25 extension to multiple weighted fields", CIKM 2004): the name says most about what
 * a tool does, its parameters least. On the query set of test/fixtures/toolCatalogs recall@5 hardly
 * moves for name weights 2 to 3, server 1.5 to 3, description 1 to 1.5 and K1 1.2 to 2: no fine tuning.
 */
const FIELDS = {
  name: { weight: 3, b: 0.3 },
  title: { weight: 2, b: 0.3 },
  server: { weight: 1.5, b: 0.3 },
  description: { weight: 1, b: 0.75 },
  parameters: { weight: 0.5, b: 0.75 },
} as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];

/** BM25's term-frequency saturation; the usual value. */
const K1 = 1.2;
/** Longest query text read; a request for a tool is a sentence, not a document. */
const MAX_QUERY_CHARS = 1000;
/** How deep parameter names and descriptions are read from an input schema. */
const MAX_SCHEMA_DEPTH = 3;

/**
 * A BM25F index over the tools one session sees, built once per catalog view and shared by every session
 * with that view. Each term's contribution to each tool is computed at build time, so a search costs one
 * pass over the postings of the query's terms.
 */
export class ToolIndex {
  /** Term -> parallel arrays of tool positions and precomputed scores. */
  private readonly postings = new Map<string, { docs: number[]; scores: number[] }>();
  /** Exposed tool name, lower case -> position: a query that is a tool's name finds that tool first. */
  private readonly byName = new Map<string, number>();

  constructor(readonly entries: readonly IndexedTool[]) {
    const documents = entries.map(fieldTerms);
    const averages = averageLengths(documents);
    const frequencies = new Map<string, Map<number, number>>();
    documents.forEach((fields, doc) => {
      const weighted = new Map<string, number>();
      for (const field of FIELD_NAMES) {
        const { weight, b } = FIELDS[field];
        const list = fields[field];
        const norm = 1 - b + b * (list.length / (averages[field] || 1));
        for (const term of list) weighted.set(term, (weighted.get(term) ?? 0) + weight / norm);
      }
      for (const [term, tf] of weighted) {
        let perDoc = frequencies.get(term);
        if (!perDoc) frequencies.set(term, (perDoc = new Map()));
        perDoc.set(doc, tf);
      }
      this.byName.set(entries[doc]?.tool.name.toLowerCase() ?? '', doc);
    });
    const n = entries.length;
    for (const [term, perDoc] of frequencies) {
      const idf = Math.log(1 + (n - perDoc.size + 0.5) / (perDoc.size + 0.5));
      const docs: number[] = [];
      const scores: number[] = [];
      for (const [doc, tf] of perDoc) {
        docs.push(doc);
        scores.push((idf * tf * (K1 + 1)) / (K1 + tf));
      }
      this.postings.set(term, { docs, scores });
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The tools best matching `query`, best first; ties keep catalog order. Tools matching nothing are left
   * out. BM25F scores are scaled by the share of the query a tool matches (Lucene's classic "coord"), so
   * a tool that matches "send" and "email" beats one that matches "email" many times.
   */
  search(query: string, limit: number): ToolMatch[] {
    const text = query.slice(0, MAX_QUERY_CHARS);
    const n = this.entries.length;
    const scores = new Float64Array(n);
    const matched = new Float64Array(n);
    const weights = queryWeights(text);
    let written = 0;
    for (const [term, weight] of weights) {
      if (weight === 1) written++;
      const posting = this.postings.get(term);
      if (!posting) continue;
      for (let i = 0; i < posting.docs.length; i++) {
        const doc = posting.docs[i] ?? 0;
        scores[doc] = (scores[doc] ?? 0) + weight * (posting.scores[i] ?? 0);
        matched[doc] = (matched[doc] ?? 0) + weight;
      }
    }
    const ranked: number[] = [];
    for (let doc = 0; doc < n; doc++) {
      const score = scores[doc] ?? 0;
      if (score <= 0) continue;
      scores[doc] = score * Math.min(1, (matched[doc] ?? 0) / Math.max(1, written));
      ranked.push(doc);
    }
    const exact = this.byName.get(text.trim().toLowerCase());
    if (exact !== undefined) {
      if (!ranked.includes(exact)) ranked.push(exact);
      scores[exact] = Number.POSITIVE_INFINITY;
    }
    ranked.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
    return ranked.slice(0, limit).map((doc) => ({ entry: this.entries[doc] as IndexedTool, score: scores[doc] ?? 0 }));
  }
}

function fieldTerms(entry: IndexedTool): Record<Field, string[]> {
  const { tool } = entry;
  const title = [tool.title, tool.annotations?.title].filter((t): t is string => typeof t === 'string').join(' ');
  const parameters: string[] = [];
  schemaText(tool.inputSchema, parameters, 0);
  return {
    name: terms(ownName(tool.name)),
    title: terms(title),
    server: terms([entry.server, ...entry.serverWords].join(' ')),
    description: terms(tool.description ?? ''),
    parameters: terms(parameters.join(' ')),
  };
}

/**
 * A tool's own name, without the `<prefix>_1mcp_` namespace: the server is a field of its own, read once
 * per tool rather than again as part of every name.
 */
function ownName(name: string): string {
  const at = name.indexOf(NAMESPACE_SEPARATOR);
  return at === -1 ? name : name.slice(at + NAMESPACE_SEPARATOR.length);
}

/** Property names and descriptions of a JSON Schema, a few levels deep. */
function schemaText(schema: unknown, out: string[], depth: number): void {
  if (depth > MAX_SCHEMA_DEPTH || typeof schema !== 'object' || schema === null) return;
  const { properties, items } = schema as { properties?: unknown; items?: unknown };
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, value] of Object.entries(properties)) {
      out.push(key);
      const description = (value as { description?: unknown } | null)?.description;
      if (typeof description === 'string') out.push(description);
      schemaText(value, out, depth + 1);
    }
  }
  if (items !== undefined) schemaText(items, out, depth + 1);
}

function averageLengths(documents: readonly Record<Field, string[]>[]): Record<Field, number> {
  const sums = Object.fromEntries(FIELD_NAMES.map((f) => [f, 0])) as Record<Field, number>;
  for (const doc of documents) for (const f of FIELD_NAMES) sums[f] += doc[f].length;
  const n = Math.max(1, documents.length);
  return Object.fromEntries(FIELD_NAMES.map((f) => [f, sums[f] / n])) as Record<Field, number>;
}
