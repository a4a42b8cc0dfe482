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
  'child_locks',
  'children',
  'courses',
  'enrollments',
  'linkage_changes',
  'linkage_keys',
  'linkage_weights',
  'oidc_provider_rows',
  'oidc_signing_keys',
  'qualifying_moves',
  'record_links',
  'rejects',
  'saml_assertion_ids',
  'saml_request_ids',
  'schema_migrations',
  'states',
  'student_record_history',
  'student_records',
  'submissions',
  'web_sessions',
  'worklist_items',
] as const;
