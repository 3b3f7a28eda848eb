import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A credential read from `env:NAME` or `file:PATH`. It prints, logs and serialises as
 * `[redacted]`; only `reveal()` gives the value, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;
  readonly reference: string;

  constructor(value: string, reference: string) {
    this.#value = value;
    this.reference = reference;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
