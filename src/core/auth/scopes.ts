/** Scopes are `tag:<name>`: a token granted `tag:a` reaches the backends tagged `a` (scope validation). */
export const TAG_SCOPE_PREFIX = 'tag:';

/** `["a", "b"]` -> `["tag:a", "tag:b"]`. */
export function tagScopes(tags: readonly string[]): string[] {
  return tags.map((tag) => `${TAG_SCOPE_PREFIX}${tag}`);
}

/** `["a", "b"]` -> `"tag:a tag:b"` (RFC 6749 §3.3 scope string). */
export function scopeOfTags(tags: readonly string[]): string {
  return tagScopes(tags).join(' ');
}

/** The tag names a scope string asks for, deduplicated in order; other scope values are ignored. */
export function tagsOfScope(scope: string | undefined): string[] {
  const tags = (scope ?? '')
    .split(' ')
    .filter((value) => value.startsWith(TAG_SCOPE_PREFIX) && value.length > TAG_SCOPE_PREFIX.length)
    .map((value) => value.slice(TAG_SCOPE_PREFIX.length));
  return [...new Set(tags)];
}
