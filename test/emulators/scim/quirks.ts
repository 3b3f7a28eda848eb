/**
 * Ways real SCIM servers depart from RFC 7643/7644 that dirsync must survive. Each is off by
 * default; tests turn one on to prove the client copes with a server that behaves that way.
 */
export interface ScimQuirks {
  /** A User PATCH answers `204` with no body instead of the updated resource. */
  readonly patchNoContent?: boolean;
  /** `itemsPerPage` echoes the `count` asked for rather than the number of resources returned. */
  readonly itemsPerPageEchoesCount?: boolean;
  /** A `startIndex` past the last resource answers page 1 again instead of an empty page. */
  readonly pastEndRestarts?: boolean;
  /** Every `startIndex` answers page 1: the list cannot be paged. */
  readonly ignoresStartIndex?: boolean;
  /** An empty list leaves `Resources` out (`'absent'`) instead of sending `[]`. */
  readonly emptyResources?: 'absent' | 'empty';
  /** A create answers without a `Location` header. */
  readonly noLocation?: boolean;
  /** Filters compare every string exactly, userName and emails included. */
  readonly caseExactFilters?: boolean;
  /**
   * What `add`/`replace` on a value path that selects no value does: `'refuse'` answers
   * `400 noTarget`, `'ignore'` answers success and writes nothing.
   */
  readonly valuePathWithoutTarget?: 'refuse' | 'ignore';
  /** `'all'`: every filter is refused (`400 invalidFilter`); `'escaped'`: filters holding a `\` escape. */
  readonly refuseFilters?: 'all' | 'escaped';
  /** A filter's `\"` and `\\` escapes are not decoded, so such a value matches nothing. */
  readonly undecodedEscapes?: boolean;
}
