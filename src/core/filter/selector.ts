/**
 * Decides which backends a client session sees, by their tags. Built from `?tags=`, `?tag-filter=`,
 * `?preset=` and, with scope validation, intersected with the tags the client's token was granted.
 */
export interface BackendSelector {
  /** Identifies the selection for caching; equal keys select equal sets. */
  readonly key: string;
  /** Every tag the selection names (for scope checks: naming a tag outside a grant is refused). */
  readonly referencedTags: readonly string[];
  matches(tags: readonly string[]): boolean;
  /**
   * Whether this session's client could select a backend with these tags at all (with another selector):
   * false outside its token's grant under scope validation. Absent: every backend.
   */
  readonly reachable?: (tags: readonly string[]) => boolean;
}

/** Every backend. */
export const ALL_BACKENDS: BackendSelector = { key: '*', referencedTags: [], matches: () => true };
