import type { AgentState } from '../core/state/agentState';

/** Which backends a copied endpoint URL selects (the agent's `?tags=` / `?tag-filter=` selectors). */
export type EndpointSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'tags'; readonly tags: readonly string[] }
  | { readonly kind: 'filter'; readonly expression: string };

/** The endpoint URL with the query string for `selection`. */
export function endpointUrl(endpoint: string, selection: EndpointSelection): string {
  const url = new URL(endpoint);
  if (selection.kind === 'tags') url.searchParams.set('tags', selection.tags.join(','));
  if (selection.kind === 'filter') url.searchParams.set('tag-filter', selection.expression.trim());
  // Commas are legal in a query and clients show the URL to people: keep it readable.
  return url.toString().replaceAll('%2C', ',');
}

/** Every tag used by a configured backend, sorted, with how many backends carry it. */
export function tagsInUse(state: AgentState): { tag: string; backends: string[] }[] {
  const byTag = new Map<string, string[]>();
  for (const backend of state.backends) for (const tag of backend.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), backend.name]);
  return [...byTag.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, backends]) => ({ tag, backends }));
}
