/** Accounts, access grants, browser sessions and SAML message ids (migration 0010-identity). */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

export const accountStatuses = ['pending', 'active', 'disabled'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export interface AccountRow {
  id: number;
  stateCode: string;
  idpSubject: string;
  status: AccountStatus;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  district: string | null;
  /** JSON array text. */
  idpRoles: string;
  /** JSON array text. */
  grantedRoles: string;
  lastSignInAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export type AccountModel = ModelStatic<
  Model<
    AccountRow,
    Optional<
      AccountRow,
      | 'id'
      | 'email'
      | 'firstName'
      | 'lastName'
      | 'district'
      | 'lastSignInAt'
      | 'disabledAt'
      | 'createdAt'
      | 'updatedAt'
    >
  >
>;

export interface AccessGrantRow {
  id: string | number;
  accountId: number;
  role: string;
  source: 'idp' | 'administrator';
  grantedBy: string;
  grantedAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
  retainUntil: Date | null;
}
export type AccessGrantModel = ModelStatic<
  Model<AccessGrantRow, Optional<AccessGrantRow, 'id' | 'revokedBy' | 'revokedAt' | 'retainUntil'>>
>;

export interface WebSessionRow {
  sid: string;
  accountId: number | null;
  data: string;
  expiresAt: Date;
}
export type WebSessionModel = ModelStatic<
  Model<WebSessionRow, Optional<WebSessionRow, 'accountId'>>
>;

export interface SamlRequestIdRow {
  requestId: string;
  createdAt: Date;
}
export type SamlRequestIdModel = ModelStatic<Model<SamlRequestIdRow>>;

export interface SamlAssertionIdRow {
  assertionSha256: string;
  stateCode: string;
  expiresAt: Date;
}
export type SamlAssertionIdModel = ModelStatic<Model<SamlAssertionIdRow>>;

export interface OidcProviderRow {
  rowKey: string;
  model: string;
  payload: string;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  expiresAt: Date | null;
  consumedAt: Date | null;
}
export type OidcProviderRowModel = ModelStatic<
  Model<
    OidcProviderRow,
    Optional<OidcProviderRow, 'grantId' | 'userCode' | 'uid' | 'expiresAt' | 'consumedAt'>
  >
>;

export interface OidcSigningKeyRow {
  kid: string;
  jwk: string;
  createdAt: Date;
}
export type OidcSigningKeyModel = ModelStatic<Model<OidcSigningKeyRow>>;

export function defineIdentityModels(sequelize: Sequelize) {
  const Account: AccountModel = sequelize.define(
    'Account',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      idpSubject: { type: DataTypes.STRING(255), allowNull: false, field: 'idp_subject' },
      status: { type: DataTypes.STRING(20), allowNull: false },
      email: { type: DataTypes.STRING(320) },
      firstName: { type: DataTypes.STRING(100), field: 'first_name' },
      lastName: { type: DataTypes.STRING(100), field: 'last_name' },
      district: { type: DataTypes.STRING(20) },
      idpRoles: { type: DataTypes.TEXT, allowNull: false, field: 'idp_roles' },
      grantedRoles: { type: DataTypes.TEXT, allowNull: false, field: 'granted_roles' },
      lastSignInAt: { type: DataTypes.DATE, field: 'last_sign_in_at' },
      disabledAt: { type: DataTypes.DATE, field: 'disabled_at' },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
      updatedAt: { type: DataTypes.DATE, allowNull: false, field: 'updated_at' },
    } satisfies ModelAttributes,
    { tableName: 'accounts', underscored: true },
  );
  const AccessGrant: AccessGrantModel = sequelize.define(
    'AccessGrant',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      accountId: { type: DataTypes.INTEGER, allowNull: false, field: 'account_id' },
      role: { type: DataTypes.STRING(40), allowNull: false },
      source: { type: DataTypes.STRING(20), allowNull: false },
      grantedBy: { type: DataTypes.STRING(255), allowNull: false, field: 'granted_by' },
      grantedAt: { type: DataTypes.DATE, allowNull: false, field: 'granted_at' },
      revokedBy: { type: DataTypes.STRING(255), field: 'revoked_by' },
      revokedAt: { type: DataTypes.DATE, field: 'revoked_at' },
      retainUntil: { type: DataTypes.DATE, field: 'retain_until' },
    } satisfies ModelAttributes,
    { tableName: 'access_grants', timestamps: false, underscored: true },
  );
  const WebSession: WebSessionModel = sequelize.define(
    'WebSession',
    {
      sid: { type: DataTypes.STRING(128), primaryKey: true },
      accountId: { type: DataTypes.INTEGER, field: 'account_id' },
      data: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false, field: 'expires_at' },
    } satisfies ModelAttributes,
    { tableName: 'web_sessions', timestamps: false, underscored: true },
  );
  const SamlRequestId: SamlRequestIdModel = sequelize.define(
    'SamlRequestId',
    {
      requestId: { type: DataTypes.STRING(128), primaryKey: true, field: 'request_id' },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
    } satisfies ModelAttributes,
    { tableName: 'saml_request_ids', timestamps: false, underscored: true },
  );
  const SamlAssertionId: SamlAssertionIdModel = sequelize.define(
    'SamlAssertionId',
    {
      assertionSha256: { type: DataTypes.CHAR(64), primaryKey: true, field: 'assertion_sha256' },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      expiresAt: { type: DataTypes.DATE, allowNull: false, field: 'expires_at' },
    } satisfies ModelAttributes,
    { tableName: 'saml_assertion_ids', timestamps: false, underscored: true },
  );
  const OidcProviderRow: OidcProviderRowModel = sequelize.define(
    'OidcProviderRow',
    {
      rowKey: { type: DataTypes.STRING(400), primaryKey: true, field: 'row_key' },
      model: { type: DataTypes.STRING(40), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      grantId: { type: DataTypes.STRING(255), field: 'grant_id' },
      userCode: { type: DataTypes.STRING(255), field: 'user_code' },
      uid: { type: DataTypes.STRING(255) },
      expiresAt: { type: DataTypes.DATE, field: 'expires_at' },
      consumedAt: { type: DataTypes.DATE, field: 'consumed_at' },
    } satisfies ModelAttributes,
    { tableName: 'oidc_provider_rows', timestamps: false, underscored: true },
  );
  const OidcSigningKey: OidcSigningKeyModel = sequelize.define(
    'OidcSigningKey',
    {
      kid: { type: DataTypes.STRING(64), primaryKey: true },
      jwk: { type: DataTypes.TEXT, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'created_at' },
    } satisfies ModelAttributes,
    { tableName: 'oidc_signing_keys', timestamps: false, underscored: true },
  );
  return {
    Account,
    AccessGrant,
    WebSession,
    SamlRequestId,
    SamlAssertionId,
    OidcProviderRow,
    OidcSigningKey,
  };
}
