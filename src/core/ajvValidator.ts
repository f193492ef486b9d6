/**
 * What the agent uses of Ajv: the SDK's JSON Schema validator. This file is the entry of a bundle of its
 * own, `dist/json-schema.js` (Ajv and its formats, an eighth of a bundle, and milliseconds of every start
 * to evaluate); {@link LazyJsonSchemaValidator} requires it the first time a validator runs.
 */
export { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
