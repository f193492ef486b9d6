/**
 * The bundles' `@modelcontextprotocol/sdk/validation/ajv`: scripts/build.mjs puts this file in place of
 * the SDK's Ajv provider, which its Server and Client modules import (they build one only when given no
 * validator; the agent always gives its own). In its place the agent's lazy validator, which loads Ajv
 * (`dist/json-schema.js`) when a validator first runs, not when the bundle loads.
 */
export { LazyJsonSchemaValidator as AjvJsonSchemaValidator } from '../core/lazyJsonSchemaValidator';
