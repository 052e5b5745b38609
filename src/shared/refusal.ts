/**
 * A decider's "no", with a reason a person can act on. The HTTP edge maps the kind to a status:
 * `conflict` 409 (the case is not in a state that allows it), `not-found` 404, `invalid` 422.
 */
export type RefusalKind = 'conflict' | 'not-found' | 'invalid';

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    reason: string,
    /** The request field the refusal is about, when there is one. */
    readonly field?: string,
  ) {
    super(reason);
    this.name = 'Refusal';
  }
}

export const refuse = (reason: string, field?: string) => new Refusal('conflict', reason, field);
export const refuseInvalid = (reason: string, field: string) => new Refusal('invalid', reason, field);
export const refuseNotFound = (reason: string) => new Refusal('not-found', reason);

/** Makes a switch exhaustive: a new union member that nobody handles fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
