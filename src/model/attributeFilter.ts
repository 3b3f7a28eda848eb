/** The comparisons a scoping filter may make, as Entra's scoping filters name them. */
export const ATTRIBUTE_FILTER_OPS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'startsWith',
  'endsWith',
  'contains',
  'present',
  'absent',
] as const;

export type AttributeFilterOp = (typeof ATTRIBUTE_FILTER_OPS)[number];

/** One scoping filter on a source attribute (named in the source's own language). */
export interface AttributeFilter {
  readonly attribute: string;
  readonly op: AttributeFilterOp;
  readonly value?: string | number | boolean | readonly (string | number)[] | undefined;
}
