import { HttpError } from '../httpError';
import type { BackendSelector } from './selector';

/** The tags a selector names that the grant does not include; a non-empty result means 403. */
export function tagsOutsideGrant(selector: BackendSelector, granted: readonly string[]): string[] {
  const allowed = new Set(granted);
  return [...new Set(selector.referencedTags)].filter((tag) => !allowed.has(tag));
}

/**
 * Confines `selector` to the tags a token was granted (scope validation): a backend is selected only
 * if it carries a granted tag and the selector, evaluated on its granted tags alone, accepts it. So no
 * expression (`not b` included) can reach a backend outside the grant. A selector naming a tag outside
 * the grant is refused with 403 `insufficient_scope` (RFC 6750 §3.1).
 */
export function restrictToGrant(selector: BackendSelector, granted: readonly string[]): BackendSelector {
  const outside = tagsOutsideGrant(selector, granted);
  if (outside.length > 0) throw new HttpError(403, 'insufficient_scope', `The token was not granted tag(s): ${outside.join(', ')}`);
  const allowed = new Set(granted);
  const grantKey = [...allowed].sort().join(',');
  return {
    key: `grant(${grantKey})&${selector.key}`,
    referencedTags: selector.referencedTags,
    matches: (tags) => {
      const inside = tags.filter((tag) => allowed.has(tag));
      return inside.length > 0 && selector.matches(inside);
    },
    reachable: (tags) => tags.some((tag) => allowed.has(tag)),
  };
}
