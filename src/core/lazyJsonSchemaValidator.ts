import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';

/**
 * JSON Schema validation for the SDK Servers (one per client session) and Clients (one per backend) the
 * agent creates. By default the SDK builds an Ajv instance with formats in every Server and Client
 * constructor (about 20 KiB and 0.15 ms each), and a Client compiles a validator for every tool output
 * schema its backend lists (about 1 ms and 7 KiB each). The agent relays tool results and elicitation
 * answers without running those validators, so here Ajv is built, and a schema compiled, only when a
 * validator is first called.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  private ajv?: AjvJsonSchemaValidator;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let validate: JsonSchemaValidator<T> | undefined;
    return (input) => {
      this.ajv ??= new AjvJsonSchemaValidator();
      validate ??= this.ajv.getValidator<T>(schema);
      return validate(input);
    };
  }
}
