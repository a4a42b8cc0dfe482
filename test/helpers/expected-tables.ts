/**
 * Every table the migrations create, written out by hand: a migration that adds, drops or renames
 * a table must change this list, so the change is seen in review (store-migrations.test.ts on each
 * dialect, mssql-ddl.test.ts on the SQL Server script).
 */
export const expectedTables = [
  'access_grants',
  'accounts',
  'assessments',
  'audit_events',
  'children',
  'courses',
  'enrollments',
  'job_leases',
  'job_runs',
  'job_watermarks',
  'move_notices',
  'moves',
  'notification_deliveries',
  'notification_outbox',
  'notification_secrets',
  'notification_subscriptions',
  'oidc_provider_rows',
  'oidc_signing_keys',
  'qualifying_moves',
  'rejects',
  'saml_assertion_ids',
  'saml_request_ids',
  'schema_migrations',
  'states',
  'student_record_history',
  'student_records',
  'submissions',
  'web_sessions',
] as const;
