/** The syntax tree of SCIM filters and PATCH paths (RFC 7644 §3.4.2.2 and §3.5.2). */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

/** `name`, `name.subAttr`, or either prefixed by an extension schema URN (core URNs are dropped). */
export interface AttributePath {
  readonly schema?: string;
  readonly name: string;
  readonly subAttr?: string;
}

export type Filter =
  | {
      readonly kind: 'compare';
      readonly path: AttributePath;
      readonly operator: CompareOperator;
      readonly value: FilterValue;
    }
  | { readonly kind: 'present'; readonly path: AttributePath }
  | { readonly kind: 'and' | 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  /** `emails[type eq "work"]`: some value of a multi-valued attribute matches the inner filter. */
  | { readonly kind: 'valuePath'; readonly path: AttributePath; readonly filter: Filter };

/** A PATCH path: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, any of them URN-prefixed. */
export interface PatchPath {
  readonly schema?: string;
  readonly name: string;
  readonly valueFilter?: Filter;
  readonly subAttr?: string;
}
