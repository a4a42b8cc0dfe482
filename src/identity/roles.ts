/**
 * Continuum's roles (DESIGN.md section 1). A role is granted by the state's identity provider
 * (attribute mapping in config/states/XX.yaml) or by a state user administrator.
 */
export const roles = [
  'primary-user',
  'secondary-user',
  'district-data-admin',
  'region-data-admin',
  'state-data-admin',
  'user-admin',
  'federal-analyst',
  'partner-agency',
  'state-system',
] as const;
export type Role = (typeof roles)[number];

/** Roles a person can hold. `state-system` belongs to machine clients only. */
export const personRoles = roles.filter((r) => r !== 'state-system') as Exclude<
  Role,
  'state-system'
>[];

/** Roles that may read a child's consolidated record (never the federal analyst). */
export const recordReaders: readonly Role[] = [
  'primary-user',
  'secondary-user',
  'district-data-admin',
  'region-data-admin',
  'state-data-admin',
];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
