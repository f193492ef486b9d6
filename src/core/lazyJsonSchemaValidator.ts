import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';
import type * as AjvValidator from './ajvValidator';

let ajvModule: typeof AjvValidator | undefined;

/** Ajv, loaded the first time a validator runs: the build keeps it in a file of its own beside the bundle. */
function ajvValidator(): typeof AjvValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require on first use is what keeps it out of start-up
  ajvModule ??= require('./ajvValidator') as typeof AjvValidator;
  return ajvModule;
}

/**
 * JSON Schema validation for the SDK Servers (one per client session) and Clients (one per backend) the
 * agent creates. By default the SDK builds an Ajv instance with formats in every Server and Client
 * constructor (about 20 KiB and 0.15 ms each), and a Client compiles a validator for every tool output
 * schema its backend lists (about 1 ms and 7 KiB each). The agent relays tool results and elicitation
 * answers without running those validators, so here Ajv is loaded and built, and a schema compiled,
 * only when a validator is first called. The bundles put this class in place of the SDK's own (see
 * src/shims/ajvProvider.ts), so that the SDK's Server and Client modules do not load Ajv either.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  private ajv?: AjvValidator.AjvJsonSchemaValidator;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let validate: JsonSchemaValidator<T> | undefined;
    return (input) => {
      this.ajv ??= new (ajvValidator().AjvJsonSchemaValidator)();
      validate ??= this.ajv.getValidator<T>(schema);
      return validate(input);
    };
  }
}
