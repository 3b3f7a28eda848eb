import { ENTERPRISE_USER_URN, type ScimPath } from '../../src/model/scim.js';

/** README "Default mapping", file column: SCIM attribute path → the export's field name. */
export const fileUserMapping: Readonly<Record<ScimPath, string>> = {
  userName: 'userName',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
  displayName: 'displayName',
  'emails[type eq "work"].value': 'email',
  title: 'title',
  [`${ENTERPRISE_USER_URN}:department`]: 'department',
  [`${ENTERPRISE_USER_URN}:employeeNumber`]: 'employeeId',
};
