from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS `entities` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `name` VARCHAR(100) NOT NULL UNIQUE,
    `settings` JSON NOT NULL,
    `created_at` DATETIME(6) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `entity_webhook_keys` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `key` VARCHAR(64) NOT NULL UNIQUE,
    `created_at` DATETIME(6) NOT NULL,
    `revoked_at` DATETIME(6),
    `entity_id` INT NOT NULL,
    CONSTRAINT `fk_entity_w_entities_bea430d2` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='The shared secret a website form sends in X-Webhook-Key; the key decides the entity.';
CREATE TABLE IF NOT EXISTS `event_outbox` (
    `id` BIGINT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `seq` BIGINT NOT NULL,
    `event_id` VARCHAR(36) NOT NULL UNIQUE,
    `name` VARCHAR(40) NOT NULL,
    `payload` JSON NOT NULL,
    `user_ids` JSON NOT NULL,
    `created_at` DATETIME(6) NOT NULL,
    `published_at` DATETIME(6),
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_event_outbo_entity__8072be` (`entity_id`, `seq`),
    CONSTRAINT `fk_event_ou_entities_323aea6d` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    KEY `idx_event_outbo_publish_1d83ef` (`published_at`, `id`),
    KEY `idx_event_outbo_created_b4ea00` (`created_at`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `event_sequences` (
    `entity_id` INT NOT NULL PRIMARY KEY,
    `last_seq` BIGINT NOT NULL
) CHARACTER SET utf8mb4 COMMENT='One row per entity holding its last event seq; locked to hand out gapless numbers.';
CREATE TABLE IF NOT EXISTS `lead_meta` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `platform_key` VARCHAR(16) NOT NULL COMMENT 'FACEBOOK: facebook\nINSTAGRAM: instagram\nWEBSITE: website\nMANUAL: manual',
    `source_lead_id` VARCHAR(128) NOT NULL,
    `page_id` VARCHAR(64),
    `form_id` VARCHAR(64),
    `ad_id` VARCHAR(64),
    `campaign_id` VARCHAR(64),
    `created_time` DATETIME(6),
    `received_at` DATETIME(6) NOT NULL,
    `page_url` VARCHAR(512),
    `utm_source` VARCHAR(100),
    `utm_medium` VARCHAR(100),
    `utm_campaign` VARCHAR(150),
    `utm_term` VARCHAR(100),
    `utm_content` VARCHAR(100),
    `processing_status` VARCHAR(16) NOT NULL COMMENT 'RECEIVED: received\nPROCESSED: processed\nFAILED: failed',
    `failure_reason` VARCHAR(255),
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_lead_meta_platfor_398cd4` (`platform_key`, `source_lead_id`, `entity_id`),
    CONSTRAINT `fk_lead_met_entities_59f93f03` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE RESTRICT,
    KEY `idx_lead_meta_entity__68c3c3` (`entity_id`, `processing_status`, `received_at`),
    KEY `idx_lead_meta_entity__1596f9` (`entity_id`, `form_id`),
    KEY `idx_lead_meta_entity__a6fd68` (`entity_id`, `campaign_id`),
    KEY `idx_lead_meta_entity__40fec4` (`entity_id`, `utm_source`, `utm_campaign`)
) CHARACTER SET utf8mb4 COMMENT='Transport and attribution of a lead; the unique key makes redeliveries harmless.';
CREATE TABLE IF NOT EXISTS `lead_statuses` (
    `id` INT NOT NULL PRIMARY KEY,
    `name` VARCHAR(50) NOT NULL UNIQUE,
    `description` LONGTEXT,
    `is_active` BOOL NOT NULL,
    `created_at` DATETIME(6) NOT NULL
) CHARACTER SET utf8mb4 COMMENT='Reference table of the eight pipeline statuses (global, seeded).';
CREATE TABLE IF NOT EXISTS `page_mappings` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `platform` VARCHAR(16) NOT NULL,
    `page_id` VARCHAR(64) NOT NULL,
    `page_name` VARCHAR(150),
    `created_at` DATETIME(6) NOT NULL,
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_page_mappin_platfor_c33087` (`platform`, `page_id`),
    CONSTRAINT `fk_page_map_entities_6121573a` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='Routes Facebook/Instagram Lead Ads of one page to one entity.';
CREATE TABLE IF NOT EXISTS `roles` (
    `id` INT NOT NULL PRIMARY KEY,
    `name` VARCHAR(50) NOT NULL UNIQUE,
    `created_at` DATETIME(6) NOT NULL
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `schema_state` (
    `key` VARCHAR(64) NOT NULL PRIMARY KEY,
    `value` VARCHAR(128) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `users` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `username` VARCHAR(50) NOT NULL UNIQUE,
    `email` VARCHAR(100) NOT NULL UNIQUE,
    `password_hash` VARCHAR(255) NOT NULL,
    `first_name` VARCHAR(50) NOT NULL,
    `last_name` VARCHAR(50) NOT NULL,
    `phone` VARCHAR(20),
    `is_active` BOOL NOT NULL,
    `is_verified` BOOL NOT NULL,
    `session_version` INT NOT NULL,
    `last_login_at` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL,
    `entity_id` INT NOT NULL,
    `role_id` INT NOT NULL,
    CONSTRAINT `fk_users_entities_7b345fba` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_users_roles_2657b48c` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE RESTRICT,
    KEY `idx_users_entity__841d18` (`entity_id`, `role_id`),
    KEY `idx_users_entity__06394b` (`entity_id`, `is_active`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `exports` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `report_type` VARCHAR(32) NOT NULL,
    `format` VARCHAR(8) NOT NULL,
    `filters` JSON NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `file_name` VARCHAR(255),
    `row_count` INT,
    `size_bytes` INT,
    `error_message` LONGTEXT,
    `created_at` DATETIME(6) NOT NULL,
    `completed_at` DATETIME(6),
    `expires_at` DATETIME(6),
    `entity_id` INT NOT NULL,
    `requested_by_id` INT,
    CONSTRAINT `fk_exports_entities_3031bf17` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_exports_users_dbfcc72e` FOREIGN KEY (`requested_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL,
    KEY `idx_exports_entity__e97c3b` (`entity_id`, `created_at`),
    KEY `idx_exports_status_381df2` (`status`, `expires_at`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `invites` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `code_hash` VARCHAR(64) NOT NULL UNIQUE,
    `email` VARCHAR(100),
    `expires_at` DATETIME(6) NOT NULL,
    `used_at` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `created_by_id` INT NOT NULL,
    `entity_id` INT NOT NULL,
    `role_id` INT NOT NULL,
    `used_by_id` INT,
    CONSTRAINT `fk_invites_users_9c8e9c49` FOREIGN KEY (`created_by_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_invites_entities_0634d159` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_invites_roles_2c187d35` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_invites_users_7da100cb` FOREIGN KEY (`used_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL,
    KEY `idx_invites_entity__1696c3` (`entity_id`, `created_at`)
) CHARACTER SET utf8mb4 COMMENT='An invitation that fixes entity and role for one registration.';
CREATE TABLE IF NOT EXISTS `lead_data` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `email` VARCHAR(150),
    `phone` VARCHAR(30),
    `first_name` VARCHAR(100),
    `last_name` VARCHAR(100),
    `full_name` VARCHAR(200),
    `raw_field_data` JSON,
    `consent_time` DATETIME(6),
    `platform_key` VARCHAR(16) NOT NULL COMMENT 'FACEBOOK: facebook\nINSTAGRAM: instagram\nWEBSITE: website\nMANUAL: manual',
    `source_page_id` VARCHAR(64),
    `source_page_name` VARCHAR(150),
    `status` VARCHAR(20) NOT NULL COMMENT 'NEW: new\nQUALIFIED: qualified\nCONTACTED: contacted\nMEETING_SCHEDULED: meeting_scheduled\nPROPOSAL_SENT: proposal_sent\nNEGOTIATION: negotiation\nWON: won\nLOST: lost',
    `status_changed_at` DATETIME(6) NOT NULL,
    `assigned_at` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL,
    `assigned_user_id` INT,
    `entity_id` INT NOT NULL,
    `lead_meta_id` INT NOT NULL UNIQUE,
    CONSTRAINT `fk_lead_dat_users_4f2931a8` FOREIGN KEY (`assigned_user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL,
    CONSTRAINT `fk_lead_dat_entities_e3f1b7e7` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_dat_lead_met_209bc1a6` FOREIGN KEY (`lead_meta_id`) REFERENCES `lead_meta` (`id`) ON DELETE CASCADE,
    KEY `idx_lead_data_entity__172b07` (`entity_id`, `created_at`),
    KEY `idx_lead_data_entity__7f5c63` (`entity_id`, `updated_at`),
    KEY `idx_lead_data_entity__05eab4` (`entity_id`, `status`, `created_at`),
    KEY `idx_lead_data_entity__65c0a3` (`entity_id`, `platform_key`, `created_at`),
    KEY `idx_lead_data_entity__29e09f` (`entity_id`, `assigned_user_id`, `created_at`),
    KEY `idx_lead_data_entity__cbd73c` (`entity_id`, `email`),
    KEY `idx_lead_data_entity__1a4c62` (`entity_id`, `phone`),
    KEY `idx_lead_data_entity__34bd81` (`entity_id`, `status`, `status_changed_at`)
) CHARACTER SET utf8mb4 COMMENT='The lead (lead_data.id is \"the lead id\" everywhere); carries its current owner and status.';
CREATE TABLE IF NOT EXISTS `lead_activities` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `activity_type` VARCHAR(20) NOT NULL COMMENT 'CALL: call\nEMAIL: email\nMEETING: meeting\nNOTE: note\nSTATUS_CHANGE: status_change\nASSIGNMENT: assignment\nFOLLOW_UP: follow_up',
    `description` LONGTEXT NOT NULL,
    `notes` LONGTEXT,
    `next_follow_up_at` DATETIME(6),
    `priority` VARCHAR(10) NOT NULL COMMENT 'LOW: low\nMEDIUM: medium\nHIGH: high\nURGENT: urgent',
    `status` VARCHAR(10) NOT NULL COMMENT 'PENDING: pending\nCOMPLETED: completed\nCANCELLED: cancelled',
    `overdue_notified_for` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL,
    `entity_id` INT NOT NULL,
    `lead_id` INT NOT NULL,
    `user_id` INT NOT NULL,
    CONSTRAINT `fk_lead_act_entities_2711df5e` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_act_lead_dat_a94d3e17` FOREIGN KEY (`lead_id`) REFERENCES `lead_data` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_lead_act_users_33893bde` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT,
    KEY `idx_lead_activi_entity__0f92e0` (`entity_id`, `lead_id`, `created_at`),
    KEY `idx_lead_activi_entity__298825` (`entity_id`, `user_id`, `created_at`),
    KEY `idx_lead_activi_entity__529c83` (`entity_id`, `status`, `next_follow_up_at`),
    KEY `idx_lead_activi_entity__214bf6` (`entity_id`, `activity_type`, `created_at`),
    KEY `idx_lead_activi_entity__c4734d` (`entity_id`, `created_at`),
    KEY `idx_lead_activi_status_453f75` (`status`, `next_follow_up_at`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `lead_assignments` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `action` VARCHAR(16) NOT NULL COMMENT 'ASSIGN: assign\nREASSIGN: reassign\nUNASSIGN: unassign\nBULK: bulk\nAUTO: auto',
    `reassignment_reason` VARCHAR(255),
    `notes` LONGTEXT,
    `assigned_at` DATETIME(6) NOT NULL,
    `ended_at` DATETIME(6),
    `assigned_by_user_id` INT,
    `assigned_user_id` INT,
    `entity_id` INT NOT NULL,
    `lead_id` INT NOT NULL,
    `previous_user_id` INT,
    CONSTRAINT `fk_lead_ass_users_ba9db272` FOREIGN KEY (`assigned_by_user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_ass_users_d34d1154` FOREIGN KEY (`assigned_user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_ass_entities_ee906fdc` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_ass_lead_dat_2586e6ed` FOREIGN KEY (`lead_id`) REFERENCES `lead_data` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_lead_ass_users_a46a0481` FOREIGN KEY (`previous_user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT,
    KEY `idx_lead_assign_entity__e7db11` (`entity_id`, `lead_id`, `assigned_at`),
    KEY `idx_lead_assign_entity__b73a6e` (`entity_id`, `assigned_user_id`, `assigned_at`),
    KEY `idx_lead_assign_entity__377ded` (`entity_id`, `assigned_at`)
) CHARACTER SET utf8mb4 COMMENT='One row per assignment event: the full history (the lead row holds the current owner).';
CREATE TABLE IF NOT EXISTS `lead_stages` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `entered_at` DATETIME(6) NOT NULL,
    `exited_at` DATETIME(6),
    `duration_hours` DECIMAL(10,2),
    `notes` LONGTEXT,
    `next_action_required` VARCHAR(255),
    `sla_breached_at` DATETIME(6),
    `updated_at` DATETIME(6) NOT NULL,
    `entity_id` INT NOT NULL,
    `lead_id` INT NOT NULL,
    `status_id` INT NOT NULL,
    `user_id` INT,
    CONSTRAINT `fk_lead_sta_entities_406ea7d6` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_sta_lead_dat_84e21b92` FOREIGN KEY (`lead_id`) REFERENCES `lead_data` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_lead_sta_lead_sta_3fb2d052` FOREIGN KEY (`status_id`) REFERENCES `lead_statuses` (`id`) ON DELETE RESTRICT,
    CONSTRAINT `fk_lead_sta_users_c56a7cb0` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT,
    KEY `idx_lead_stages_entity__a0dd5b` (`entity_id`, `lead_id`, `entered_at`),
    KEY `idx_lead_stages_entity__82340c` (`entity_id`, `status_id`, `entered_at`),
    KEY `idx_lead_stages_entity__6f3886` (`entity_id`, `exited_at`, `entered_at`),
    KEY `idx_lead_stages_entity__bd6be0` (`entity_id`, `entered_at`)
) CHARACTER SET utf8mb4 COMMENT='A period a lead spent in one status; the open one has no exited_at.';
CREATE TABLE IF NOT EXISTS `otp_codes` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `purpose` VARCHAR(20) NOT NULL COMMENT 'VERIFICATION: verification\nPASSWORD_RESET: password_reset\nEMAIL_UPDATE: email_update',
    `email` VARCHAR(100) NOT NULL,
    `code_hash` VARCHAR(64) NOT NULL,
    `attempts` SMALLINT NOT NULL,
    `expires_at` DATETIME(6) NOT NULL,
    `consumed_at` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `user_id` INT NOT NULL,
    CONSTRAINT `fk_otp_code_users_fad4438a` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    KEY `idx_otp_codes_user_id_141945` (`user_id`, `purpose`, `created_at`),
    KEY `idx_otp_codes_expires_3fd249` (`expires_at`)
) CHARACTER SET utf8mb4 COMMENT='A one-time code, stored as a keyed hash; only the newest of a purpose is live.';
CREATE TABLE IF NOT EXISTS `refresh_tokens` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `family` VARCHAR(36) NOT NULL,
    `token_hash` VARCHAR(64) NOT NULL UNIQUE,
    `expires_at` DATETIME(6) NOT NULL,
    `used_at` DATETIME(6),
    `revoked_at` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `user_id` INT NOT NULL,
    CONSTRAINT `fk_refresh__users_1c3fe0a4` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    KEY `idx_refresh_tok_family_8ce7f3` (`family`),
    KEY `idx_refresh_tok_user_id_e386fa` (`user_id`, `revoked_at`),
    KEY `idx_refresh_tok_expires_310999` (`expires_at`)
) CHARACTER SET utf8mb4 COMMENT='An opaque refresh token (hash stored). Tokens of one login share a family.';
CREATE TABLE IF NOT EXISTS `report_templates` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `name` VARCHAR(255) NOT NULL,
    `description` LONGTEXT,
    `report_type` VARCHAR(32) NOT NULL,
    `filters` JSON NOT NULL,
    `group_by` VARCHAR(100),
    `sort_by` VARCHAR(100) NOT NULL,
    `sort_order` VARCHAR(4) NOT NULL,
    `recipients` JSON NOT NULL,
    `is_active` BOOL NOT NULL,
    `created_at` DATETIME(6) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL,
    `created_by_id` INT,
    `entity_id` INT NOT NULL,
    CONSTRAINT `fk_report_t_users_c46357e9` FOREIGN KEY (`created_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL,
    CONSTRAINT `fk_report_t_entities_edb73ada` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    KEY `idx_report_temp_entity__a4bb58` (`entity_id`, `report_type`),
    KEY `idx_report_temp_entity__eb55fa` (`entity_id`, `is_active`, `created_at`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `generated_reports` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `report_type` VARCHAR(32) NOT NULL,
    `filters` JSON NOT NULL,
    `data` JSON NOT NULL,
    `format` VARCHAR(8) NOT NULL,
    `generated_at` DATETIME(6) NOT NULL,
    `entity_id` INT NOT NULL,
    `generated_by_id` INT,
    `template_id` INT,
    CONSTRAINT `fk_generate_entities_b8a65826` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_generate_users_2d38ac24` FOREIGN KEY (`generated_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL,
    CONSTRAINT `fk_generate_report_t_c00cbc48` FOREIGN KEY (`template_id`) REFERENCES `report_templates` (`id`) ON DELETE SET NULL,
    KEY `idx_generated_r_entity__c90422` (`entity_id`, `generated_at`),
    KEY `idx_generated_r_entity__5efda2` (`entity_id`, `report_type`, `generated_at`),
    KEY `idx_generated_r_entity__23c08e` (`entity_id`, `template_id`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `report_schedules` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `frequency` VARCHAR(8) NOT NULL,
    `time_of_day` VARCHAR(5) NOT NULL,
    `day_of_week` SMALLINT,
    `day_of_month` SMALLINT,
    `is_active` BOOL NOT NULL,
    `next_run_at` DATETIME(6),
    `last_run_at` DATETIME(6),
    `created_at` DATETIME(6) NOT NULL,
    `updated_at` DATETIME(6) NOT NULL,
    `entity_id` INT NOT NULL,
    `template_id` INT NOT NULL,
    CONSTRAINT `fk_report_s_entities_2a90aa94` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_report_s_report_t_22028d16` FOREIGN KEY (`template_id`) REFERENCES `report_templates` (`id`) ON DELETE CASCADE,
    KEY `idx_report_sche_entity__f6d26a` (`entity_id`, `is_active`),
    KEY `idx_report_sche_is_acti_e1cad9` (`is_active`, `next_run_at`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `report_executions` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `status` VARCHAR(16) NOT NULL,
    `due_at` DATETIME(6) NOT NULL,
    `started_at` DATETIME(6) NOT NULL,
    `completed_at` DATETIME(6),
    `error_message` LONGTEXT,
    `records_processed` INT,
    `entity_id` INT NOT NULL,
    `report_id` INT,
    `schedule_id` INT,
    UNIQUE KEY `uid_report_exec_schedul_60fca0` (`schedule_id`, `due_at`),
    CONSTRAINT `fk_report_e_entities_b119791e` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_report_e_generate_92fb10cc` FOREIGN KEY (`report_id`) REFERENCES `generated_reports` (`id`) ON DELETE SET NULL,
    CONSTRAINT `fk_report_e_report_s_26bba85d` FOREIGN KEY (`schedule_id`) REFERENCES `report_schedules` (`id`) ON DELETE SET NULL,
    KEY `idx_report_exec_entity__a05218` (`entity_id`, `started_at`)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS `webhook_deliveries` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `platform` VARCHAR(16) NOT NULL,
    `page_id` VARCHAR(64) NOT NULL,
    `source_lead_id` VARCHAR(128) NOT NULL,
    `payload` JSON NOT NULL,
    `status` VARCHAR(16) NOT NULL COMMENT 'RECEIVED: received\nPROCESSED: processed\nFAILED: failed',
    `failure_reason` VARCHAR(255),
    `attempts` SMALLINT NOT NULL,
    `received_at` DATETIME(6) NOT NULL,
    `processed_at` DATETIME(6),
    `entity_id` INT,
    `lead_meta_id` INT,
    UNIQUE KEY `uid_webhook_del_platfor_679e8b` (`platform`, `source_lead_id`),
    CONSTRAINT `fk_webhook__entities_a9359672` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE SET NULL,
    CONSTRAINT `fk_webhook__lead_met_24d9dba3` FOREIGN KEY (`lead_meta_id`) REFERENCES `lead_meta` (`id`) ON DELETE SET NULL,
    KEY `idx_webhook_del_status_642d0e` (`status`, `received_at`),
    KEY `idx_webhook_del_entity__566be6` (`entity_id`, `status`, `received_at`)
) CHARACTER SET utf8mb4 COMMENT='An inbound Lead Ads change before it is routed to an entity (unmapped pages fail here).';
CREATE TABLE IF NOT EXISTS `aerich` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `version` VARCHAR(255) NOT NULL,
    `app` VARCHAR(100) NOT NULL,
    `content` JSON NOT NULL
) CHARACTER SET utf8mb4;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXWtz2ziW/SsofUpXpbOJHCde99RUybaSaFqWspbcmZq4i0VJsMQ1SbD58GNn8t8X4P"
    "sBUoBEUhSCL90xiQtSByBwcc/Bxb97BlpB3XkzNF3Nfemdg3/3TNWA+B+5O69BT7Ws5Dq5"
    "4KoL3S8KSRkN+hfVhePa6tLF1+9V3YH40go6S1uzXA2Z+Krp6Tq5iJa4oGauk0ueqf3lQc"
    "VFa+huoI1vfP8TX9bMFXzGlYd/Wg/KvQb1VeZltRV5tn9dcV8s/9rIdD/5BcnTFsoS6Z5h"
    "JoWtF3eDzLi0Zrrk6hqa0FZdSKp3bY+8Pnm78JdGvyh406RI8IopmxW8Vz3dTf3chZJc6y"
    "nKZDpXZsO5ovQ4AFoik4CLX9Xxf/2avMKv/XfvP74/O/nw/gwX8V8zvvLxR/DoBJjA0Idn"
    "Mu/98O+rrhqU8DFOQPX/X4D1cqPadFyj8jlk8SvnkY1w7C60hvqs6NBcuxv857u3byuA/G"
    "Nwc/llcPMKl/qFPBLh7h98F5PwVj+4R9BO0HWg6+JXcIoI/2M2ndARTtvkUF5pSxf8B+ia"
    "U+jHLGhHFxK4k683xvZv9565JFCChafp+E2cN+Sxf+811AoVoBOMSM2G4/ylp7F+dT34Z7"
    "4ZLsfTCx8y5Lhr26/Fr+Ai1yRLGxLIFNUtNsoVvuNqBqQ3TNYy3zSh6ZvoH001UJMfBP6B"
    "q6mpv4QfYkXTzEfXw9l8cP010z5Xg/mQ3On7V19yV199yLVZXAn4Npp/AeRP8K/pZJhvxr"
    "jc/F898k6q5yLFRE+KukqNGdHVCLVMq3vWasdWz1rKVu9Kq0cYpZrdf3viPtw/pOY6cmGh"
    "Lh+eVHulZO4k3eMJLjYIPSgP8IUyVl+E1p9+v4G66uNb7AoZV+pbUN/v8OUIO8SP6BOIri"
    "YdI0EMPkJSfD+sSB1Tz12gZ2FheraQvTdOfiWiQhT/JsWGNYD1OaruBoqMmmY+ai7cE6uR"
    "X4moEOl4XtsToDGuQlR48Ppde4yX9PthNAjqEna2Ux1HW5vG/lOeD1ZcmahwkS9PMaCr7g"
    "/WdViLiDA5rrqu4+ubkXpEBcnCv00xVMuix1F4sPqKq7oOahIVrcCFUvD7LT3ygD0RC3yo"
    "YVSb4Kg5yw1cefq+n2QA2iysTHDMXGhYGJB6MJuHlYmKmedAe0+gbnEVosITRWHwD9Ueob"
    "23ZxpGYa6C6lic0zCU2HnUSEwL9VFZlKt4y+gb+SuqiafDVfhs8qSyCFYpYZiNcm2hDl+U"
    "fJBtK4vYm28gcDaqDVfAgUsbukAFuBYHL1rBPbINfNVcOUAzwT9/DV/mV/w2vwEXG+LHgB"
    "VcarhO/+/gLd70csg39hDJdHaL6XwIuikr0RkWF47n/PCegeb88L6U5SS3JKMmNrfCwqjZ"
    "8BE97NTqWcsaWr2bs3bXG5lCoBVbOZy6uSakjM32eekYPuMapqYCL5kHuYjwJ2RDbW1iZ8"
    "MHeoTfSTWXNPlNQcd1ZACXObr4sq0+xR5Stmvh349/NXSDiXwwuxxcDXs/yuneRp3mFJVJ"
    "85ezTGeFq0wKKigpWavS7nuqqznwr96fOYf0e8/yFrrmbOLRGSONy3xPz9R/crmtF9r6Z/"
    "Fc/7vfPzn52H978uHs9P3Hj6dnb+NxonirasC4GH0mY0Zm0N/u35IG5YI/NBBphG6lCXIi"
    "COrkWL6uSNsIt7g4+cCwuDjJOzTJ4oLcykJ8WH3qoXt1Btz3LALV9+X61PcFeaqlvuhIpX"
    "TfcnVqyqR9cephnPZGZKgkFIxHAS5lcNqmG8pg8jypDJZxjI4ucVniGHmPl6fd87YyliFj"
    "GZ3/lGUso5VP5shjGTOIwSQNVBbNiAu83h7PcMKyjLTf1ITARk/AgnZIqIEN0lcYdKC5Dt"
    "BVxwV+xQBX/BvQ0fIBroCLwEY1VwB5Llirlg4dB/8yYwFtp0j6NfOIPSi/jgxOXYijNMYA"
    "klZVuMMkaav2ZoC3zWLcQqCEYyNOo6NZsHmCNozF2yoqxq9k/0ajm56/Zz/mdLiVhF/xZO"
    "l6/lvgF9KwT8QfiP1ZorCNjR6R4I0gVEC3PCCVMxMwLnXSZwn69cuDfv18XIrIbmirsXKU"
    "EwsBAT5jwPesFN6zArqa7lJ1iOWRp5RJNwJPQm1JT0Z31u6eWLTX3XsWNFehdL6FdAwsTM"
    "K7cibhXYFJwH0YKrx0QsZoJ6w7FtDJotw/PWWAGZcqxdm/lwUar6swgp5JGcBLnZCMzU5e"
    "dtdwrsUbSY0R2v9BZfFCFdqXM7wZIwkrhcG1bWQrBl7Ih1uossjO4XPZ2jtvKMLgUBXtHf"
    "5zXj3xxcHe8XTyOSqenw0l4yIZlyUyLBLq3Kndc7aScek045IEKzjbOWspW7nTrdyN0PWh"
    "B+yaPRObcCYOGekWnNhSLKXrJ4nLNonLso5cA7yMG2A71nlZsaV8uxmE8XuAye14fChuOJ"
    "9diUKrUBIwlfMr1ORPbTItyQtEXEvmdi56v6V0tBme/CnZGcnOdCHE1wA7I/mDbvEH5KPg"
    "aY2ovBRw7wH6cXCUvf91ggwZR8dSZqbaAsrV0YO8rYwPdiWgwBIflPGE+hwm2vfEG0+gWM"
    "p4QhHgtPPPDm7OSgIrAzWHCtS4qexre0LLnc6tY12YFeHc11sSqikbhmU0bAu8lJmHOxqW"
    "ZqMOlRTzSOBvNK1cmGucEjBMspCXxwlT6c637x8ZmMAv77cjcDeqC+61Z+hEOz3IFg4b6X"
    "56N4DIThC41kilpHxxr8j+1e2l/5ZxxDbjiEvc95SN6mx4VvYZI+GSOtSfMQ4aqqbzABwb"
    "iKCyauHcsQ4JLzrqPHc9UMKkvPCc3Y60cqR+6ijaV+ojywdRceOfUdvxxukKdjIOSlN8y+"
    "hyE2o1vP7hVKklFhJRCqL+JM07BGSNZDBZBpMPpvpDei2BZCTUCSp5UFODYAbSG+xD3Iwu"
    "570Sx6C9yPGxIltwhrZ32XDwlFH5LdBmJ5lOyVP98xopIeboHMfyALN/ZF0kjGI7mYSYgF"
    "ex4RttBTQH3PXc6J62uuuRLEL2y9MG2vCX38BStcmxNn6OoaVn2yTBEHrCncQPIge7uukn"
    "lDT5sL3Tk2Rupg7MLt5MNq5X1kFINSKXUsJTOCoLB4cz4rthfsytBkE0kfJU/CnDypcO/q"
    "UsN6q5luH5A4TnZeQ4FTk+ZYocn1ZEjk+LKYH9b4AD4NhAPIBPWPA9KYf3pIDuvWY77g5J"
    "KNJW4uHcCAXip23jRTpjJIFmAvoeP5i/S6eNxAO6zwR0vwLofhHo2AlXeAX/Rcu9pP8dg7"
    "5t5T95PMlqGjEnXLxMzlbyb13m3/LLkOLoNjQ9oxAUyPpHuTq6vMWs92lwObyYTn8n1S3h"
    "AqGHO3M0wTB+vhlcnwON/Mi1rRp35rfhxWw0H55HR2XemdeDye1gfA7w4txT9fwilml6qj"
    "3nl4M8ewkV/wxxvmNaipbizVL1C3vSqPG6BDRb8TBvZNFWlUBw+wh1kGSCJnzqcQ5Ok+E3"
    "jDF8ujP/Bw80o0+j4dU5+AuPNRr+1as783I6mQ8u5+QqbgJXXbrk6vUQzyOTz8rs8svw6n"
    "ZM7hoQz63mOj7vHZf6ejP9Op0Nxvjhk/k5sGyE5xJVV8hkfWdOhp+n89FgPppOyBuskav5"
    "4k48DJIrT+Rf4+kMG+oo8KD4HUYmf7HCXaT3iXSoitNVoVYglSRdcWBYlCRxZJS/9XOm0k"
    "/tsp8qdWI/49edIlo4Wz1rKVu9K61O+djDt6eM6Sm2i5FkoplKjZCUCLaDqs9dG9BV+YDN"
    "m8lzbqSmrXlNG12AlRlAawBYbJ0QbbrZY/suXs9rj5qr0TKg82zfJVqgQVCXSH2b0lENaL"
    "p1gBVXJipcJKpdR7eauWEyeFFAKmr1KPN5EbepCecI/4dxGCTQXYcVHdVEzjoS5n0YhtMe"
    "95ZBxkNciRwyPQRukUVmR942s3P6j2fRHDIq/5JQtwmfXeUe6TpefHlWibAwhCjor9vqLj"
    "+zjfIsqRpsUzVYaMhdaJJCJZ1mci8H4/E5WKq6fmcOrwcj/IcvhYwJkZgGuTNxPUP8EERY"
    "3Nl8ML+dKZdfBpPP+GKGBLgzB7PZ6PPk2udIEh/jzvw0HY+n35Tbr/jto37eDRokDUuh4c"
    "uPd8mZdbmpa4l4N3G6C+lQFKeqHPTYQATat3W0C5NMAfnqoDC1Asn7dCcUTNEn2RqyqbEe"
    "Rm1Syr5F7t+AK80zepwzGp5gCL/+RGawq9HtNZnASD135pfR5y/nYKOtN3fm7c1nf3by7H"
    "W4YOUXyTJpZCsksgLIM3Y767H3dTi58n2L0J6IMq6/joehKCM8uwlfHUwuh2NfjLEkP1rX"
    "4aobbYUeob3CaxQ8F/myEjwiUiJ91SNpWR1yMO3yYCpJ9PKP7jjpVEmi/4ytzkKiS4a31x"
    "TDy0/uSkSrksBwajz2lXaIiKjkyg/AlethyoU9cY0yNwiKamoAZEpQ0qLq4FghLVMbJN30"
    "cLlJUlR6GS2XIdu3EXNZmn972pIpyU6NnvDy3E7F70naENPFaG4gIBtzwUZzXGS/gFdxdh"
    "FitEH4Z/qFMtlEfikmLGnuMfswiGlJO1sWEUYLSegdgtCjETrsTF73eZ1eQLZFRNudeTOM"
    "ruCFWXjtdhJd88zo2sXt+PdzsPD0hztzcDuf4hrwUmin8FrtGzKjNyfjgUL+KGvFko3sdH"
    "MR+KIcEXp6ysKEnp6WU6HkniTkDkfIdWrzVdecuSONLbEdX7faqdHTdpIp6E7wsNjC8ee5"
    "eNlnF07WWm7EKYa/5F4nudfpKFGVkfC6EbVs+Kghz9lhKKCZyqFAhsZlaLzTqHKFxuXOPB"
    "5ot+7M27L9MfRcJc6sOGddfQaoM3OWxHkLzrQZvnPcj7/DrYT1iXa/beF7ot12DPnpbdV0"
    "yDG1fq531cU4L/zTagG6B6pPtvzmcyxBU4MH+AIM9QE6wIb42doj9FPHb1Tb0KFDy0nfwA"
    "Mo5M73Qv7EME1canYIHZU/q4kgy0ZL/CA/71esqLXhEuJXKSF4/Mfif1L2eqmGpeIPkH7X"
    "cw0leM3or6i85Ina5YlkAk8xEniWrqe3ppMsX1d3quF2pIne9c9YEO+flUNO7uWW2vzZUm"
    "WaVK40qdHEwoFwykQivB1h7uFiv1HiJ0M37f5wYJwzk0gzIB1uLdkp13zOVpKKXSYV00sR"
    "zobOmUq5QFcankUu4LtOns11qFXaRrxR9PRdn2EYxaVKx1H/Xm4nRWZNzgp01ko8qBs5EI"
    "iAlmzx5oE6sZJQM0Mdx5Y4wU7bCQh3E+csENhcaHP368hGQJgb69XIdMNNEFydOjGTYDOB"
    "TY2L7xQnpVXUYsqKyAvu8bVF72Z4ORz9QVJRRDX4x4FcDmczcjH8WeTqp8HIT1lxr2q75q"
    "uoPUBK3sWz4Q5a+qKleF9MIzJ6KZnrSfVRd8hvFvVROeudzpQXsbJF1HkS4X6Diw1CD1dB"
    "dSzId2wIKQOekg23QiGwTe4VQRrlymXLMCwYmpwSiiC/comGIk6+vEVEkSR73i6jGJAtrB"
    "pahYoG4FhkP6pmAmTCMDdmoHJA+IZ/caM6wEQAPmtBbpiicqKmOvfZCYuvQ7s6Ry5LyfiF"
    "tpdM3ZQKiDYVECnkC+Bu24+UtpRB5WMKKme+TK5GTxtKwqjLhNHKs32HQdkgz6b4bFdwqR"
    "mqTm/nonG+sQPrN2EtQjX11fBydD0Yv3r39nXAIeBm1QKXOVoSvi/ESeTm6TY3T/vJiIM8"
    "DYoN//I0G3JJDcrsRWiLFkIcjq4qCzw9kgNydzk6tmgu55IuzyUyC6ZoXiKl2WUWzAZXYH"
    "Lvb3OIZiISjJhmbCSqncgt2rEJXDIYR8RgyP3Tje6fLqP+dwJ1FlcmKLSZyYWhw8pNvEee"
    "tzXs0eXMU9jft1NPuCAr+XQD76ENcY8Afi1kYy2hhXCf2bjA0iyoazFjBB3waq2jhYobwI"
    "FwBVeUtKx1VLiddmqX32EZVYQmePz/F3CtiIyp1N0gOyqzDgttVjbOIo6r0HsW5Z4HPDuw"
    "m2N4a+FfzQkOnaX07AuE8Fhqlowaabsc8Ats2JRPEvX6dqG/mE7HGegvRnlsb68vhjev3u"
    "VYjuJiUB5+VD7KHGcAsIwmLqxYWbRh8oB0ug/LJwnjdDynrnWJ/0XzOqNblS4nci38xit2"
    "rRMy4a/kIwXECrt9Ll6grIDqAJWkb8H/3KjO5jdcTH/xHUcTPkHHDRK+WJ6NOycEmgOI7o"
    "8me6q7ehYFVDpkFVRB/lk4x/vZ0vBXJeVJ7SdoSRplpz0HiXmXs3v0/hjejD6NLgfz0XRy"
    "DojK9l5b+uPlnfl1MJt9m95cKXihO5yfA0t1nCeEBw/cI6Ebnt6t3H4lE0Z4iLcSsG75b4"
    "yJLq79hG3/jXhWILFBl5usS1t0yHipkMGRB+WMkYBIN5AzxHWhYbkUN2dmqLpenmo6Zdce"
    "0/S22RH/pP/xQzzYkz+qxvnZ9WA8puSWTqZVzkVF1lLARcWRLCKYxCPkp3nGbovHrKkUCX"
    "W6nWWM4CeJEcgjSFvUCchTHfdhB2M2+zDk4Fd8+Vq1rOAnFuI06duvq2I1fkYfIyjJSg8i"
    "z4UO+BTm+fyvUZTbE5BIGxisHBI6IfvHSOXARf6/A60FhRvct7bK5L1+tw1zRObz9MqAS6"
    "sBl1SLsC4lM60o3kqy/qQMB8ig2m2I61+s+3jxct8ZIxF42RZyHkmvvxx9cb1+uTWgrslY"
    "KoQbVQgf2P+/gff4o9vM0QM0e5QFQOZ+5QrADkpiBxoXZaVsTYAslRyvEVoD3xq8InH/kG"
    "D95Q3wnx777zpaayZw8CQJgYprNjSdsh6ot2oWqjYoHhCyqdWeDR/xMyRXe/ilQ9hAHP5W"
    "YiGgT3vCsmw4KV82nBSWDf4Xxk30Za2Ek3XWv3SQtNS2+bjrHiwTXYHnkJ02NDuSjjqK9k"
    "05BpxNnLWUrdzlVpbhh/J5UtzwgyQdJenYgbBDR0nHG0gO3hw+w6UX/nJK3CFb5HV16IEU"
    "VmBUmi36UI42lQp0SDIgTw9Eq/hutH4vT1iJO5/tyqSRB1jpVyWCpyN7iIzvR0wQhh8Ap0"
    "eTWAnozRyJ98LktKZGLs4mzloK2MwCO61LZFjEQ9hNCJu1lYvSLn/f0LaRrRjQccLtjNmm"
    "Lt8aXjAUQYTQ9uZwGy6RvXKU+GQWDg+QaiuTWVH2bkgBQAOohistLlQzNrKrUtIDhitLzg"
    "SBWSsJrJSrtClXoXXgGqAN4j6zVIXH1YVZEc59vRmM8TuAye143KMMvTVA/DkC9CauUUyM"
    "MxNPCcKHDIDGvbw0/pn+DraGP6Mu1UD0szrOmSQt8gVOmRxGfh572zNlELR9uRM5NwCaSz"
    "7FU9pIwFDoGUMk9Kw0EHpWUDxpBlTQvbJSuVDOmQmIM8uZDuUnOhTOc8BAEbyeIHwo4lyd"
    "3SBnKpCfXEeKgxAdA5kuRbTHhGxsK6H9IXMA8kbYaswBmPY1CpBXh69zpjJ63eXota46u7"
    "ZzzlS2c5fbWUrnyqcpcVlIeZSTaK1O+djlUU6tMAskr5uOfz4frjkriaykFg5GLUR9sTZq"
    "YZ6qUFCIc98vr/I3vdEsLajNLWE5MmdTxLxH6VW3mz47119LSYJ0j95KEkR9o3WSIHo+6R"
    "nBPmg6hfA6m91aUgZtUgaHPYvl0C5C88cSywNZDqe5S4Yfjg6eMxOwn5/0WbIA9MuzAPTz"
    "nfxe011oU1yGf8ymkxLWMTHJL9u1pQv+A3TNaWzV0fvbvWf6J62DhYdfRDOdN+Sxf++13/"
    "cJRNV9P9/NX2eX4qSCfN9f28izlAUXQ5m2EWG8aSHLvUNGCj6UUybtDS256Ogxo43sFW0b"
    "6BbAY6sWMb8azi7bQZsl3Uh5tpFCshEbLjVLgybtWIHyAT1r1Y0xnTxPmDFdksvygLnOzK"
    "3HSUtIMupnbHUWMir6YhechFTBTiBFlNyY1TlUJR/VPh+VfOI1gMuYfaZjAwIrsoXRkHsL"
    "Rj58tycNJezGF+pmrFo4O46NWMcyADTL2aGS7Txo6yYe1MbOnXbpNJZeIvm0xvi0DiXBZT"
    "rYoeJcB3msg/grs1oPfNfMR83ddw4c+ZUcYQ9gchRIcsA9ARIsfWKjrgFxpQx15pZoedK3"
    "Kx0Fxy+oOHHJg/gLD5CL6AqLCzev1ZXcvdyFeFR1j8uHiA0EFCu867Ps38WlypnEfmEPr4"
    "zxiuZJlMV4OTyJJmcCf9akTAHRbFo+9sdTdqvKTRSkKalSbUqdZqvrStIPeNeWaRvh5uH6"
    "15fYx9J0HnxjA+HAbUS/Y6mO84TwUMp7XFDBUEA/pxHx8b1mOy73kaNZKwGxrn/o8DeZ8+"
    "KcMZIwM8BsYYj4Ts+NDMQTtPZZ0O2Xo9svoCsFZi0LzDBwj9DW8FMoHvM2yNOWLYIeXzla"
    "1B3oOPjFCIAOdVdOef7VomV7ypR3TY0qNYt9/FnNP1V112QtaWOZrqU7AZWiVlIycuWf1X"
    "HG0aRC9mdsdRaFrBRxNjFbRpFWdkxTFhLR7bJYG9WTpBwJpYh7nc+bjeh5yW/wqHEzupz3"
    "KENBDaj+xFLjBFm2tCw1iGGHzwJrYOOfpEjhMDNooWRKcaBJ8eWkbiqLk+JRD25qBKZj7E"
    "069n33/OzGuApB0fFDpJqr7atQJBANgrpEmjmzWDkO9iMMsplcMdQVLSDNi1hco6jdK4FM"
    "osXVwXTk7Dn5/RSQYV9+XcfYNXPDcyQFxAi5Fi6x2hemqWtdopWw3pQN723obBQXPcD980"
    "z6dc1JVeLiVczjuO8uP46cqMfyITap3/wGFxuEHq6grj1Cm0R3C1LOfJHXVarOp6AwiQeQ"
    "0hrjPsDewASauUCeuQJkLAWDlQOWG9VcQ7CA98iGQHOB5gAbebg9gYuAaoIgCAFeeaaB3w"
    "hftshIjh+h6WADbfjLm14O+SafQxGjfu+RvoirNXzuFnn2EipkNeFrUAtSVbIPwvMBs+ES"
    "YvyCvKEFrWpJOalbbVO3mm5ZZtVOykZAXdS7DyzayjzVk5JWfigqK9d0FqFKU7kuoRFEgL"
    "iuTTrp5HOZUYkD6aKlgIA3sk3HUl90pFLALs9ClzJpPwXdYVQjjSSbS+bOYjcfmp5RIHiy"
    "XT62bjHfYjTJ9/iaoHczvByO/hhenYOohjvz6830cjibkYuWjZbQccjVT4PRmFwiHk34nI"
    "MP/eRdPBsqNlQdmpitQuZdsBRQJNuEql51yVKMFmerPjwxbdcedf+2WcexjmMT0+55AdNq"
    "RVHOVEqKuiIpYhGSxUPrDg2ft5VC0e5ox4otfRjxWMcatHalNVlRGBAvvLlwzZtJaDuYW7"
    "Fj+O6vd0qS/1G7cA3YkkDldViVmOjmv1zu7IpNhsgH0NaWmx4lMh7eeV0VEFeTMuIkw/vZ"
    "Y7+lO6wqUtmUbq0SIUrWzHIUf1QcCIfFBUS3kaQF+IkuVR1ZHoNMmcgYJGcM8qD5en78Pz"
    "7H2Po="
)
