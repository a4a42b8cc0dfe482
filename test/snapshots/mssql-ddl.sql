IF OBJECT_ID('[schema_migrations]', 'U') IS NULL CREATE TABLE [schema_migrations] (
  [name] NVARCHAR(255) NOT NULL UNIQUE,
  PRIMARY KEY ([name])
);

IF OBJECT_ID('[states]', 'U') IS NULL CREATE TABLE [states] (
  [code] CHAR(2) NOT NULL,
  [name] NVARCHAR(100) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([code])
);

IF OBJECT_ID('[submissions]', 'U') IS NULL CREATE TABLE [submissions] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [state_code] CHAR(2) NOT NULL,
  [file_name] NVARCHAR(255) NOT NULL,
  [file_sha256] CHAR(64) NOT NULL,
  [mapping_name] NVARCHAR(100) NULL,
  [received_at] DATETIMEOFFSET NOT NULL,
  [completed_at] DATETIMEOFFSET NULL,
  [status] NVARCHAR(16) NOT NULL,
  [row_count] INTEGER NULL,
  [accepted_count] INTEGER NULL,
  [rejected_count] INTEGER NULL,
  [error] NVARCHAR(MAX) NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code])
);

CREATE UNIQUE INDEX [submissions_state_sha256_uq] ON [submissions] ([state_code], [file_sha256]);

CREATE INDEX [submissions_state_received_idx] ON [submissions] ([state_code], [received_at]);

IF OBJECT_ID('[children]', 'U') IS NULL CREATE TABLE [children] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [child_id] CHAR(12) NOT NULL UNIQUE,
  [status] NVARCHAR(8) NOT NULL,
  [merged_into] CHAR(12) NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([merged_into]) REFERENCES [children] ([child_id])
);

IF OBJECT_ID('[student_records]', 'U') IS NULL CREATE TABLE [student_records] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [state_code] CHAR(2) NOT NULL,
  [state_student_id] NVARCHAR(15) NOT NULL,
  [child_id] CHAR(12) NULL,
  [state_student_id_type] NVARCHAR(2) NOT NULL,
  [first_name] NVARCHAR(255) NOT NULL,
  [middle_name] NVARCHAR(255) NULL,
  [last_name1] NVARCHAR(255) NOT NULL,
  [last_name2] NVARCHAR(255) NULL,
  [suffix] NVARCHAR(20) NULL,
  [sex] NVARCHAR(1) NOT NULL,
  [birth_date] DATE NOT NULL,
  [multiple_birth] BIT NULL,
  [birth_city] NVARCHAR(255) NULL,
  [birth_state] NVARCHAR(2) NULL,
  [birth_country] NVARCHAR(10) NULL,
  [birth_date_verification] NVARCHAR(4) NULL,
  [parent1_first_name] NVARCHAR(255) NULL,
  [parent1_last_name] NVARCHAR(255) NULL,
  [parent1_email] NVARCHAR(255) NULL,
  [parent1_phone] NVARCHAR(50) NULL,
  [parent2_first_name] NVARCHAR(255) NULL,
  [parent2_last_name] NVARCHAR(255) NULL,
  [parent2_email] NVARCHAR(255) NULL,
  [parent2_phone] NVARCHAR(50) NULL,
  [alternate_ids] NVARCHAR(MAX) NULL,
  [submission_id] INTEGER NOT NULL,
  [source_row] INTEGER NOT NULL,
  [received_at] DATETIMEOFFSET NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code]),
  FOREIGN KEY ([child_id]) REFERENCES [children] ([child_id]),
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id])
);

CREATE UNIQUE INDEX [student_records_state_student_uq] ON [student_records] ([state_code], [state_student_id]);

CREATE INDEX [student_records_child_idx] ON [student_records] ([child_id]);

CREATE INDEX [student_records_birth_date_idx] ON [student_records] ([birth_date]);

CREATE INDEX [student_records_submission_idx] ON [student_records] ([submission_id]);

IF OBJECT_ID('[rejects]', 'U') IS NULL CREATE TABLE [rejects] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [submission_id] INTEGER NOT NULL,
  [row] INTEGER NULL,
  [field] NVARCHAR(255) NULL,
  [target] NVARCHAR(255) NULL,
  [value] NVARCHAR(200) NULL,
  [reason] NVARCHAR(1000) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id]) ON DELETE CASCADE
);

CREATE INDEX [rejects_submission_idx] ON [rejects] ([submission_id], [row]);

IF OBJECT_ID('[qualifying_moves]', 'U') IS NULL CREATE TABLE [qualifying_moves] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [position] INTEGER NOT NULL,
  [qualifying_arrival_date] DATE NOT NULL,
  [from_city] NVARCHAR(255) NULL,
  [from_state] NVARCHAR(2) NULL,
  [from_country] NVARCHAR(10) NULL,
  [to_city] NVARCHAR(255) NULL,
  [to_state] NVARCHAR(2) NOT NULL,
  [eligibility_expiration_date] DATE NULL,
  [submission_id] INTEGER NOT NULL,
  [source_row] INTEGER NOT NULL,
  [received_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([student_record_id]) REFERENCES [student_records] ([id]) ON DELETE CASCADE,
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id])
);

CREATE INDEX [qualifying_moves_record_idx] ON [qualifying_moves] ([student_record_id], [position]);

IF OBJECT_ID('[enrollments]', 'U') IS NULL CREATE TABLE [enrollments] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [position] INTEGER NOT NULL,
  [enrollment_date] DATE NOT NULL,
  [withdrawal_date] DATE NULL,
  [enrollment_type] NVARCHAR(2) NOT NULL,
  [school_id] NVARCHAR(12) NULL,
  [school_name] NVARCHAR(255) NULL,
  [district_id] NVARCHAR(7) NULL,
  [district_name] NVARCHAR(255) NULL,
  [grade] NVARCHAR(2) NOT NULL,
  [english_learner] BIT NULL,
  [iep] BIT NULL,
  [priority_for_services] BIT NULL,
  [medical_alert] NVARCHAR(10) NULL,
  [immunization_record] BIT NULL,
  [residency_date] DATE NULL,
  [residency_verification_date] DATE NULL,
  [designated_graduation_school] NVARCHAR(255) NULL,
  [graduation_date] DATE NULL,
  [hse] BIT NULL,
  [continuation_of_services_reason] NVARCHAR(2) NULL,
  [algebra1] BIT NULL,
  [out_of_state_transcript] BIT NULL,
  [comment] NVARCHAR(MAX) NULL,
  [submission_id] INTEGER NOT NULL,
  [source_row] INTEGER NOT NULL,
  [received_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([student_record_id]) REFERENCES [student_records] ([id]) ON DELETE CASCADE,
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id])
);

CREATE INDEX [enrollments_record_idx] ON [enrollments] ([student_record_id], [position]);

IF OBJECT_ID('[courses]', 'U') IS NULL CREATE TABLE [courses] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [position] INTEGER NOT NULL,
  [title] NVARCHAR(255) NOT NULL,
  [subject_area] NVARCHAR(100) NULL,
  [course_type] NVARCHAR(20) NULL,
  [begin_year] INTEGER NULL,
  [end_year] INTEGER NULL,
  [section] NVARCHAR(10) NULL,
  [term_type] NVARCHAR(20) NULL,
  [clock_hours] DECIMAL(7,2) NULL,
  [grade_to_date] NVARCHAR(10) NULL,
  [credits_granted] DECIMAL(6,3) NULL,
  [final_grade] NVARCHAR(10) NULL,
  [in_progress] BIT NULL,
  [submission_id] INTEGER NOT NULL,
  [source_row] INTEGER NOT NULL,
  [received_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([student_record_id]) REFERENCES [student_records] ([id]) ON DELETE CASCADE,
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id])
);

CREATE INDEX [courses_record_idx] ON [courses] ([student_record_id], [position]);

IF OBJECT_ID('[assessments]', 'U') IS NULL CREATE TABLE [assessments] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [position] INTEGER NOT NULL,
  [title] NVARCHAR(255) NOT NULL,
  [content] NVARCHAR(100) NULL,
  [type] NVARCHAR(100) NULL,
  [administration_date] DATE NULL,
  [reporting_method] NVARCHAR(100) NULL,
  [score] NVARCHAR(50) NULL,
  [interpretation] NVARCHAR(255) NULL,
  [submission_id] INTEGER NOT NULL,
  [source_row] INTEGER NOT NULL,
  [received_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([student_record_id]) REFERENCES [student_records] ([id]) ON DELETE CASCADE,
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id])
);

CREATE INDEX [assessments_record_idx] ON [assessments] ([student_record_id], [position]);

IF OBJECT_ID('[audit_events]', 'U') IS NULL CREATE TABLE [audit_events] (
  [id] BIGINT NOT NULL IDENTITY(1,1),
  [occurred_at] DATETIMEOFFSET NOT NULL,
  [actor] NVARCHAR(255) NOT NULL,
  [actor_state] NVARCHAR(2) NULL,
  [action] NVARCHAR(100) NOT NULL,
  [subject_type] NVARCHAR(50) NULL,
  [subject_id] NVARCHAR(64) NULL,
  [outcome] NVARCHAR(20) NOT NULL,
  [request_id] NVARCHAR(100) NULL,
  [ip] NVARCHAR(45) NULL,
  [detail] NVARCHAR(MAX) NULL,
  PRIMARY KEY ([id])
);

CREATE INDEX [audit_events_subject_idx] ON [audit_events] ([subject_type], [subject_id]);

CREATE INDEX [audit_events_occurred_idx] ON [audit_events] ([occurred_at]);

CREATE INDEX [audit_events_actor_idx] ON [audit_events] ([actor], [occurred_at]);

IF OBJECT_ID('[student_record_history]', 'U') IS NULL CREATE TABLE [student_record_history] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [state_code] CHAR(2) NOT NULL,
  [state_student_id] NVARCHAR(15) NOT NULL,
  [action] NVARCHAR(8) NOT NULL,
  [replaced_by_submission_id] INTEGER NOT NULL,
  [previous_submission_id] INTEGER NOT NULL,
  [previous_document] NVARCHAR(MAX) NOT NULL,
  [replaced_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code]),
  FOREIGN KEY ([replaced_by_submission_id]) REFERENCES [submissions] ([id]),
  FOREIGN KEY ([previous_submission_id]) REFERENCES [submissions] ([id])
);

CREATE INDEX [student_record_history_record_idx] ON [student_record_history] ([student_record_id], [replaced_at]);

CREATE INDEX [student_record_history_student_idx] ON [student_record_history] ([state_code], [state_student_id]);

CREATE INDEX [student_record_history_submission_idx] ON [student_record_history] ([replaced_by_submission_id]);

DECLARE @drop NVARCHAR(MAX) = N''; SELECT @drop = @drop + N'ALTER TABLE ' + QUOTENAME(OBJECT_NAME(fk.parent_object_id)) + N' DROP CONSTRAINT ' + QUOTENAME(fk.name) + N'; ' FROM sys.foreign_keys AS fk WHERE fk.referenced_object_id = OBJECT_ID(N'submissions') AND OBJECT_NAME(fk.parent_object_id) IN (N'qualifying_moves', N'enrollments', N'courses', N'assessments'); EXEC sp_executesql @drop;

IF OBJECT_ID('[accounts]', 'U') IS NULL CREATE TABLE [accounts] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [state_code] CHAR(2) NOT NULL,
  [idp_subject] NVARCHAR(255) NOT NULL,
  [status] NVARCHAR(20) NOT NULL,
  [email] NVARCHAR(320) NULL,
  [first_name] NVARCHAR(100) NULL,
  [last_name] NVARCHAR(100) NULL,
  [district] NVARCHAR(20) NULL,
  [idp_roles] NVARCHAR(MAX) NOT NULL,
  [granted_roles] NVARCHAR(MAX) NOT NULL,
  [last_sign_in_at] DATETIMEOFFSET NULL,
  [disabled_at] DATETIMEOFFSET NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code])
);

CREATE UNIQUE INDEX [accounts_state_subject_uq] ON [accounts] ([state_code], [idp_subject]);

IF OBJECT_ID('[access_grants]', 'U') IS NULL CREATE TABLE [access_grants] (
  [id] BIGINT NOT NULL IDENTITY(1,1),
  [account_id] INTEGER NOT NULL,
  [role] NVARCHAR(40) NOT NULL,
  [source] NVARCHAR(20) NOT NULL,
  [granted_by] NVARCHAR(255) NOT NULL,
  [granted_at] DATETIMEOFFSET NOT NULL,
  [revoked_by] NVARCHAR(255) NULL,
  [revoked_at] DATETIMEOFFSET NULL,
  [retain_until] DATETIMEOFFSET NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([account_id]) REFERENCES [accounts] ([id])
);

CREATE INDEX [access_grants_account_idx] ON [access_grants] ([account_id], [granted_at]);

IF OBJECT_ID('[web_sessions]', 'U') IS NULL CREATE TABLE [web_sessions] (
  [sid] NVARCHAR(128) NOT NULL,
  [account_id] INTEGER NULL,
  [data] NVARCHAR(MAX) NOT NULL,
  [expires_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([sid])
);

CREATE INDEX [web_sessions_account_idx] ON [web_sessions] ([account_id]);

CREATE INDEX [web_sessions_expires_idx] ON [web_sessions] ([expires_at]);

IF OBJECT_ID('[saml_request_ids]', 'U') IS NULL CREATE TABLE [saml_request_ids] (
  [request_id] NVARCHAR(128) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([request_id])
);

IF OBJECT_ID('[saml_assertion_ids]', 'U') IS NULL CREATE TABLE [saml_assertion_ids] (
  [assertion_sha256] CHAR(64) NOT NULL,
  [state_code] CHAR(2) NOT NULL,
  [expires_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([assertion_sha256])
);

IF OBJECT_ID('[oidc_provider_rows]', 'U') IS NULL CREATE TABLE [oidc_provider_rows] (
  [row_key] NVARCHAR(400) NOT NULL,
  [model] NVARCHAR(40) NOT NULL,
  [payload] NVARCHAR(MAX) NOT NULL,
  [grant_id] NVARCHAR(255) NULL,
  [user_code] NVARCHAR(255) NULL,
  [uid] NVARCHAR(255) NULL,
  [expires_at] DATETIMEOFFSET NULL,
  [consumed_at] DATETIMEOFFSET NULL,
  PRIMARY KEY ([row_key])
);

CREATE INDEX [oidc_provider_rows_grant_id_idx] ON [oidc_provider_rows] ([model], [grant_id]);

CREATE INDEX [oidc_provider_rows_user_code_idx] ON [oidc_provider_rows] ([model], [user_code]);

CREATE INDEX [oidc_provider_rows_uid_idx] ON [oidc_provider_rows] ([model], [uid]);

CREATE INDEX [oidc_provider_rows_expires_at_idx] ON [oidc_provider_rows] ([expires_at]);

IF OBJECT_ID('[oidc_signing_keys]', 'U') IS NULL CREATE TABLE [oidc_signing_keys] (
  [kid] NVARCHAR(64) NOT NULL,
  [jwk] NVARCHAR(MAX) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([kid])
);

CREATE INDEX [children_merged_into_idx] ON [children] ([merged_into]);

IF OBJECT_ID('[linkage_keys]', 'U') IS NULL CREATE TABLE [linkage_keys] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [state_code] CHAR(2) NOT NULL,
  [block_key] NVARCHAR(64) NOT NULL,
  PRIMARY KEY ([id])
);

CREATE INDEX [linkage_keys_key_idx] ON [linkage_keys] ([block_key], [state_code], [student_record_id]);

CREATE INDEX [linkage_keys_record_idx] ON [linkage_keys] ([student_record_id]);

IF OBJECT_ID('[record_links]', 'U') IS NULL CREATE TABLE [record_links] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [student_record_id] INTEGER NOT NULL,
  [child_id] CHAR(12) NOT NULL,
  [method] NVARCHAR(8) NOT NULL,
  [score] FLOAT NULL,
  [matched_record_id] INTEGER NULL,
  [contributions] NVARCHAR(MAX) NULL,
  [linked_by] NVARCHAR(255) NULL,
  [linked_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([child_id]) REFERENCES [children] ([child_id])
);

CREATE UNIQUE INDEX [record_links_record_uq] ON [record_links] ([student_record_id]);

CREATE INDEX [record_links_child_idx] ON [record_links] ([child_id]);

IF OBJECT_ID('[worklist_items]', 'U') IS NULL CREATE TABLE [worklist_items] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [kind] NVARCHAR(12) NOT NULL,
  [status] NVARCHAR(12) NOT NULL,
  [state_code] CHAR(2) NOT NULL,
  [level] NVARCHAR(8) NOT NULL,
  [district] NVARCHAR(7) NULL,
  [region] NVARCHAR(64) NULL,
  [assigned_at] DATETIMEOFFSET NOT NULL,
  [escalates_at] DATETIMEOFFSET NOT NULL,
  [student_record_id] INTEGER NULL,
  [child_id] CHAR(12) NULL,
  [candidate_child_id] CHAR(12) NULL,
  [score] FLOAT NULL,
  [contributions] NVARCHAR(MAX) NULL,
  [master_child_id] CHAR(12) NULL,
  [detail] NVARCHAR(MAX) NULL,
  [started_by] NVARCHAR(255) NULL,
  [started_at] DATETIMEOFFSET NULL,
  [validated_by] NVARCHAR(255) NULL,
  [validated_at] DATETIMEOFFSET NULL,
  [change_id] INTEGER NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code]),
  FOREIGN KEY ([child_id]) REFERENCES [children] ([child_id])
);

CREATE INDEX [worklist_items_state_status_idx] ON [worklist_items] ([state_code], [status], [level]);

CREATE INDEX [worklist_items_escalates_idx] ON [worklist_items] ([status], [escalates_at]);

CREATE INDEX [worklist_items_child_idx] ON [worklist_items] ([child_id]);

CREATE INDEX [worklist_items_record_idx] ON [worklist_items] ([student_record_id]);

IF OBJECT_ID('[child_locks]', 'U') IS NULL CREATE TABLE [child_locks] (
  [child_id] CHAR(12) NOT NULL,
  [worklist_item_id] INTEGER NOT NULL,
  [locked_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([child_id]),
  FOREIGN KEY ([child_id]) REFERENCES [children] ([child_id]),
  FOREIGN KEY ([worklist_item_id]) REFERENCES [worklist_items] ([id])
);

IF OBJECT_ID('[linkage_changes]', 'U') IS NULL CREATE TABLE [linkage_changes] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [worklist_item_id] INTEGER NULL,
  [action] NVARCHAR(8) NOT NULL,
  [actor] NVARCHAR(255) NOT NULL,
  [occurred_at] DATETIMEOFFSET NOT NULL,
  [before_state] NVARCHAR(MAX) NOT NULL,
  [after_state] NVARCHAR(MAX) NOT NULL,
  [reverted_at] DATETIMEOFFSET NULL,
  [reverted_by] NVARCHAR(255) NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([worklist_item_id]) REFERENCES [worklist_items] ([id])
);

CREATE INDEX [linkage_changes_item_idx] ON [linkage_changes] ([worklist_item_id]);

IF OBJECT_ID('[linkage_weights]', 'U') IS NULL CREATE TABLE [linkage_weights] (
  [field] NVARCHAR(16) NOT NULL,
  [level] NVARCHAR(16) NOT NULL,
  [m] FLOAT NOT NULL,
  [u] FLOAT NOT NULL,
  [pairs] INTEGER NOT NULL,
  [estimated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([field], [level])
);

IF OBJECT_ID('[linkage_keys]', 'U') IS NOT NULL DROP TABLE [linkage_keys];

IF OBJECT_ID('[linkage_keys]', 'U') IS NULL CREATE TABLE [linkage_keys] (
  [student_record_id] INTEGER NOT NULL,
  [block_key] BIGINT NOT NULL,
  [state_code] CHAR(2) NOT NULL,
  PRIMARY KEY ([student_record_id], [block_key])
);

CREATE INDEX [linkage_keys_key_idx] ON [linkage_keys] ([block_key], [state_code], [student_record_id]);

IF OBJECT_ID('[job_leases]', 'U') IS NULL CREATE TABLE [job_leases] (
  [job_name] NVARCHAR(100) NOT NULL,
  [lease_token] NVARCHAR(64) NULL,
  [holder] NVARCHAR(100) NULL,
  [last_tick_at] DATETIMEOFFSET NULL,
  [acquired_at] DATETIMEOFFSET NULL,
  [expires_at] DATETIMEOFFSET NULL,
  PRIMARY KEY ([job_name])
);

IF OBJECT_ID('[job_runs]', 'U') IS NULL CREATE TABLE [job_runs] (
  [id] BIGINT NOT NULL IDENTITY(1,1),
  [job_name] NVARCHAR(100) NOT NULL,
  [instance_id] NVARCHAR(100) NOT NULL,
  [run_trigger] NVARCHAR(10) NOT NULL,
  [tick_at] DATETIMEOFFSET NOT NULL,
  [started_at] DATETIMEOFFSET NOT NULL,
  [ended_at] DATETIMEOFFSET NULL,
  [outcome] NVARCHAR(12) NOT NULL,
  [counts] NVARCHAR(MAX) NULL,
  [error] NVARCHAR(2000) NULL,
  PRIMARY KEY ([id])
);

CREATE INDEX [job_runs_job_started_idx] ON [job_runs] ([job_name], [started_at]);

CREATE INDEX [job_runs_started_idx] ON [job_runs] ([started_at]);

IF OBJECT_ID('[job_watermarks]', 'U') IS NULL CREATE TABLE [job_watermarks] (
  [name] NVARCHAR(100) NOT NULL,
  [value] NVARCHAR(100) NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([name])
);

IF OBJECT_ID('[notification_subscriptions]', 'U') IS NULL CREATE TABLE [notification_subscriptions] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [name] NVARCHAR(200) NOT NULL,
  [owner_state] CHAR(2) NOT NULL,
  [audience] NVARCHAR(10) NOT NULL,
  [channel] NVARCHAR(10) NOT NULL,
  [url] NVARCHAR(2000) NULL,
  [email] NVARCHAR(320) NULL,
  [state_code] CHAR(2) NULL,
  [region] NVARCHAR(40) NULL,
  [district_id] NVARCHAR(7) NULL,
  [event_types] NVARCHAR(500) NULL,
  [status] NVARCHAR(10) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([owner_state]) REFERENCES [states] ([code])
);

IF OBJECT_ID('[notification_secrets]', 'U') IS NULL CREATE TABLE [notification_secrets] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [subscription_id] INTEGER NOT NULL,
  [secret] NVARCHAR(200) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [retires_at] DATETIMEOFFSET NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([subscription_id]) REFERENCES [notification_subscriptions] ([id]) ON DELETE CASCADE
);

CREATE INDEX [notification_secrets_subscription_idx] ON [notification_secrets] ([subscription_id]);

IF OBJECT_ID('[notification_outbox]', 'U') IS NULL CREATE TABLE [notification_outbox] (
  [id] BIGINT NOT NULL IDENTITY(1,1),
  [event_id] NVARCHAR(64) NOT NULL,
  [event_type] NVARCHAR(60) NOT NULL,
  [dedupe_key] NVARCHAR(200) NOT NULL,
  [child_id] CHAR(12) NULL,
  [from_state] CHAR(2) NULL,
  [from_district] NVARCHAR(7) NULL,
  [from_region] NVARCHAR(40) NULL,
  [to_state] CHAR(2) NULL,
  [to_district] NVARCHAR(7) NULL,
  [to_region] NVARCHAR(40) NULL,
  [payload] NVARCHAR(MAX) NOT NULL,
  [occurred_at] DATETIMEOFFSET NOT NULL,
  [fanned_out_at] DATETIMEOFFSET NULL,
  PRIMARY KEY ([id])
);

CREATE UNIQUE INDEX [notification_outbox_event_uq] ON [notification_outbox] ([event_id]);

CREATE UNIQUE INDEX [notification_outbox_dedupe_uq] ON [notification_outbox] ([dedupe_key]);

CREATE INDEX [notification_outbox_fanned_idx] ON [notification_outbox] ([fanned_out_at], [id]);

IF OBJECT_ID('[notification_deliveries]', 'U') IS NULL CREATE TABLE [notification_deliveries] (
  [id] BIGINT NOT NULL IDENTITY(1,1),
  [outbox_id] BIGINT NOT NULL,
  [subscription_id] INTEGER NOT NULL,
  [status] NVARCHAR(10) NOT NULL,
  [attempts] INTEGER NOT NULL,
  [next_attempt_at] DATETIMEOFFSET NOT NULL,
  [claim_token] NVARCHAR(64) NULL,
  [claimed_until] DATETIMEOFFSET NULL,
  [last_status] INTEGER NULL,
  [last_error] NVARCHAR(1000) NULL,
  [delivered_at] DATETIMEOFFSET NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [updated_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([outbox_id]) REFERENCES [notification_outbox] ([id]) ON DELETE CASCADE,
  FOREIGN KEY ([subscription_id]) REFERENCES [notification_subscriptions] ([id])
);

CREATE UNIQUE INDEX [notification_deliveries_event_sub_uq] ON [notification_deliveries] ([outbox_id], [subscription_id]);

CREATE INDEX [notification_deliveries_due_idx] ON [notification_deliveries] ([status], [next_attempt_at]);

CREATE INDEX [notification_deliveries_sub_idx] ON [notification_deliveries] ([subscription_id], [status]);

IF OBJECT_ID('[moves]', 'U') IS NULL CREATE TABLE [moves] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [dedupe_key] NVARCHAR(200) NOT NULL,
  [child_id] CHAR(12) NOT NULL,
  [kind] NVARCHAR(20) NOT NULL,
  [from_state] CHAR(2) NULL,
  [from_district] NVARCHAR(7) NULL,
  [to_state] CHAR(2) NOT NULL,
  [to_district] NVARCHAR(7) NULL,
  [moved_on] DATE NOT NULL,
  [detected_at] DATETIMEOFFSET NOT NULL,
  [notified_state] CHAR(2) NULL,
  [source_submission_id] INTEGER NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([child_id]) REFERENCES [children] ([child_id])
);

CREATE UNIQUE INDEX [moves_dedupe_uq] ON [moves] ([dedupe_key]);

CREATE INDEX [moves_notified_idx] ON [moves] ([notified_state], [detected_at]);

CREATE INDEX [moves_child_idx] ON [moves] ([child_id]);

IF OBJECT_ID('[move_notices]', 'U') IS NULL CREATE TABLE [move_notices] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [child_id] CHAR(12) NOT NULL,
  [from_state] CHAR(2) NOT NULL,
  [to_state] CHAR(2) NOT NULL,
  [to_city] NVARCHAR(255) NULL,
  [departure_date] DATE NOT NULL,
  [forwarding_address] NVARCHAR(1000) NULL,
  [comment] NVARCHAR(2000) NULL,
  [created_by] NVARCHAR(255) NOT NULL,
  [created_at] DATETIMEOFFSET NOT NULL,
  [status] NVARCHAR(10) NOT NULL,
  [enrolled_at] DATETIMEOFFSET NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([child_id]) REFERENCES [children] ([child_id]),
  FOREIGN KEY ([from_state]) REFERENCES [states] ([code]),
  FOREIGN KEY ([to_state]) REFERENCES [states] ([code])
);

CREATE INDEX [move_notices_to_state_idx] ON [move_notices] ([to_state], [status], [created_at]);

CREATE INDEX [move_notices_child_idx] ON [move_notices] ([child_id]);

IF OBJECT_ID('[child_counts]', 'U') IS NULL CREATE TABLE [child_counts] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [state_code] CHAR(2) NOT NULL,
  [period] CHAR(7) NOT NULL,
  [status] NVARCHAR(10) NOT NULL,
  [counted_through] DATE NOT NULL,
  [category1] INTEGER NOT NULL,
  [category2] INTEGER NOT NULL,
  [breakdowns] NVARCHAR(MAX) NOT NULL,
  [computed_at] DATETIMEOFFSET NOT NULL,
  [frozen_at] DATETIMEOFFSET NULL,
  [frozen_by] NVARCHAR(255) NULL,
  [certified_at] DATETIMEOFFSET NULL,
  [certified_by] NVARCHAR(255) NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code])
);

CREATE UNIQUE INDEX [child_counts_state_period_uq] ON [child_counts] ([state_code], [period]);

IF OBJECT_ID('[child_count_members]', 'U') IS NULL CREATE TABLE [child_count_members] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [child_count_id] INTEGER NOT NULL,
  [category] INTEGER NOT NULL,
  [child_id] CHAR(12) NOT NULL,
  [student_record_id] INTEGER NOT NULL,
  [state_student_id] NVARCHAR(15) NOT NULL,
  [grade] NVARCHAR(2) NOT NULL,
  [priority_for_services] INTEGER NOT NULL,
  [english_learner] INTEGER NOT NULL,
  [iep] INTEGER NOT NULL,
  [qad_in_period] INTEGER NOT NULL,
  [first_day] DATE NOT NULL,
  [last_day] DATE NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([child_count_id]) REFERENCES [child_counts] ([id]) ON DELETE CASCADE
);

CREATE UNIQUE INDEX [child_count_members_count_child_uq] ON [child_count_members] ([child_count_id], [category], [child_id]);

CREATE INDEX [child_count_members_count_student_idx] ON [child_count_members] ([child_count_id], [state_student_id]);

IF OBJECT_ID('[child_count_lists]', 'U') IS NULL CREATE TABLE [child_count_lists] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [state_code] CHAR(2) NOT NULL,
  [period] CHAR(7) NOT NULL,
  [uploaded_at] DATETIMEOFFSET NOT NULL,
  [uploaded_by] NVARCHAR(255) NOT NULL,
  [id_count] INTEGER NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code])
);

CREATE INDEX [child_count_lists_state_period_idx] ON [child_count_lists] ([state_code], [period], [uploaded_at]);

IF OBJECT_ID('[child_count_list_ids]', 'U') IS NULL CREATE TABLE [child_count_list_ids] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [list_id] INTEGER NOT NULL,
  [category] INTEGER NOT NULL,
  [state_student_id] NVARCHAR(15) NOT NULL,
  [source_row] INTEGER NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([list_id]) REFERENCES [child_count_lists] ([id]) ON DELETE CASCADE
);

CREATE INDEX [child_count_list_ids_list_idx] ON [child_count_list_ids] ([list_id], [category], [state_student_id]);

CREATE INDEX [enrollments_graduation_idx] ON [enrollments] ([graduation_date], [student_record_id]);

CREATE INDEX [student_records_state_child_idx] ON [student_records] ([state_code], [child_id]);

IF OBJECT_ID('[survey_responses]', 'U') IS NULL CREATE TABLE [survey_responses] (
  [id] BIGINT NOT NULL IDENTITY(1,1),
  [submission_id] INTEGER NOT NULL,
  [respondent_row] INTEGER NOT NULL,
  [state_code] CHAR(2) NOT NULL,
  [survey] NVARCHAR(8) NOT NULL,
  [year] INTEGER NOT NULL,
  [district_id] NVARCHAR(20) NOT NULL,
  [school_id] NVARCHAR(20) NULL,
  [level] NVARCHAR(16) NOT NULL,
  [migrant] BIT NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id]) ON DELETE CASCADE,
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code])
);

CREATE UNIQUE INDEX [survey_responses_row_uq] ON [survey_responses] ([submission_id], [respondent_row]);

CREATE INDEX [survey_responses_year_idx] ON [survey_responses] ([state_code], [survey], [year], [district_id]);

IF OBJECT_ID('[survey_answers]', 'U') IS NULL CREATE TABLE [survey_answers] (
  [submission_id] INTEGER NOT NULL,
  [respondent_row] INTEGER NOT NULL,
  [item] NVARCHAR(32) NOT NULL,
  [answer] INTEGER NOT NULL,
  PRIMARY KEY ([submission_id], [respondent_row], [item]),
  FOREIGN KEY ([submission_id]) REFERENCES [submissions] ([id]) ON DELETE CASCADE
);

CREATE INDEX [survey_answers_item_idx] ON [survey_answers] ([item]);

IF OBJECT_ID('[survey_reports]', 'U') IS NULL CREATE TABLE [survey_reports] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [state_code] CHAR(2) NOT NULL,
  [survey] NVARCHAR(8) NOT NULL,
  [year] INTEGER NOT NULL,
  [scope] NVARCHAR(8) NOT NULL,
  [scope_id] NVARCHAR(20) NOT NULL,
  [name] NVARCHAR(255) NOT NULL,
  [generated_at] DATETIMEOFFSET NOT NULL,
  [body] NVARCHAR(MAX) NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([state_code]) REFERENCES [states] ([code])
);

CREATE UNIQUE INDEX [survey_reports_scope_uq] ON [survey_reports] ([state_code], [survey], [year], [scope], [scope_id]);

IF OBJECT_ID('[survey_agreements]', 'U') IS NULL CREATE TABLE [survey_agreements] (
  [id] INTEGER NOT NULL IDENTITY(1,1),
  [account_id] INTEGER NOT NULL,
  [agreement_version] NVARCHAR(20) NOT NULL,
  [accepted_at] DATETIMEOFFSET NOT NULL,
  PRIMARY KEY ([id]),
  FOREIGN KEY ([account_id]) REFERENCES [accounts] ([id])
);

CREATE UNIQUE INDEX [survey_agreements_account_uq] ON [survey_agreements] ([account_id]);
