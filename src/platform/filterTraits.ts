import { getAttribute } from './json.js';
import type { RawResource } from './resourceParsing.js';

/** How a platform's filters really compare, whatever RFC 7644 says they should. */
export interface FilterTraits {
  /** `\"`, `\\` and `\u` escapes in a filter's value are decoded before comparing. */
  readonly decodesEscapes: boolean;
  /** userName, emails and displayName are compared without case, as RFC 7643 says. */
  readonly ignoresCase: boolean;
}

/** What a platform that could not be asked is taken for: it holds nothing, so a scan costs nothing. */
const NOT_KNOWN: FilterTraits = { decodesEscapes: false, ignoresCase: false };

export type ResourceType = 'Users' | 'Groups';

/** The answer per resource type, learnt once and shared by every client of the same platform. */
export class FilterTraitsMemo {
  readonly #answers = new Map<ResourceType, Promise<FilterTraits | undefined>>();

  async get(type: ResourceType, probe: () => Promise<FilterTraits | undefined>): Promise<FilterTraits> {
    let answer = this.#answers.get(type);
    if (answer === undefined) {
      answer = probe();
      this.#answers.set(type, answer);
      // A platform with nothing to ask about, or a failed probe, is asked again next time.
      const forget = () => this.#answers.delete(type);
      answer.then((traits) => {
        if (traits === undefined) forget();
      }, forget);
    }
    return (await answer) ?? NOT_KNOWN;
  }
}

/**
 * Looks one resource the platform holds up by its name written two ways it must also match:
 * its first character as a `\u` escape, and its letters in the other case. Undefined when the
 * platform holds nothing or a name that cannot be written both ways.
 */
export async function probeFilterTraits(
  type: ResourceType,
  sample: RawResource | undefined,
  finds: (filter: string) => Promise<boolean>,
): Promise<FilterTraits | undefined> {
  const attribute = type === 'Users' ? 'userName' : 'displayName';
  const name = sample === undefined ? undefined : getAttribute(sample, attribute);
  if (typeof name !== 'string' || !/^[A-Za-z0-9]/.test(name)) return undefined;
  const swapped = swapCase(name);
  if (swapped === name) return undefined;
  const escapedFirst = `"\\u${name.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(name).slice(2)}`;
  const [decodesEscapes, ignoresCase] = await Promise.all([
    finds(`${attribute} eq ${escapedFirst}`),
    finds(`${attribute} eq ${JSON.stringify(swapped)}`),
  ]);
  return { decodesEscapes, ignoresCase };
}

function swapCase(text: string): string {
  return [...text]
    .map((character) => {
      const upper = character.toUpperCase();
      return upper === character ? character.toLowerCase() : upper;
    })
    .join('');
}
