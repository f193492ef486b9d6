import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type * as z from 'zod';
import { HttpError } from '../../httpError';

/** `application/x-www-form-urlencoded` bodies of the token and revocation endpoints (RFC 6749 §3.2). */
export function formBody(): RequestHandler {
  return express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });
}

/** JSON bodies of the registration endpoint (RFC 7591 §3.1): room for what a registration may hold (REGISTRATION_LIMITS). */
export function registrationBody(): RequestHandler {
  return express.json({ limit: '16kb' });
}

/** Body parser failures on OAuth endpoints become OAuth errors (`invalid_request`, 413). */
export function oauthBodyErrors(): ErrorRequestHandler {
  return (error: { type?: string }, _req, _res, next) => {
    if (error.type === 'entity.too.large') next(new HttpError(413, 'invalid_request', 'The request body is too large', { cause: error }));
    else if (typeof error.type === 'string' && error.type.startsWith('entity.')) next(new HttpError(400, 'invalid_request', 'The request body cannot be parsed', { cause: error }));
    else if (typeof error.type === 'string') next(new HttpError(400, 'invalid_request', 'The request body cannot be read', { cause: error }));
    else next(error);
  };
}

/**
 * Parses OAuth parameters; a missing, repeated (RFC 6749 §3.1) or malformed one is `invalid_request`.
 */
export function oauthParams<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HttpError(400, 'invalid_request', `Invalid parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`.trim());
}
