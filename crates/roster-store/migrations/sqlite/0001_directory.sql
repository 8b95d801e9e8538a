-- The directory core: tenants, API keys, users and what they refer to, and the audit log.
-- Columns named *_lower hold Rust's Unicode lower case of another column, for case-insensitive
-- search and uniqueness (SQL's LOWER folds only ASCII on SQLite and under PostgreSQL's C locale).
-- Times are RFC 3339 UTC text with microseconds (sortable as text); flags are 0/1 integers.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE departments (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT departments_name_unique UNIQUE (tenant_id, name_lower)
);

CREATE TABLE custom_fields (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL,
    field_type  TEXT NOT NULL,
    options     TEXT NOT NULL,
    entity      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT custom_fields_name_unique UNIQUE (tenant_id, entity, name_lower)
);

CREATE TABLE integrations (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    keyword         TEXT NOT NULL,
    integration_id  TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_lower      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX integrations_tenant ON integrations (tenant_id, id);

CREATE TABLE users (
    id                      TEXT PRIMARY KEY,
    tenant_id               TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email                   TEXT NOT NULL,
    email_lower             TEXT NOT NULL,
    display_name            TEXT NOT NULL,
    name_lower              TEXT NOT NULL,
    given_name              TEXT,
    family_name             TEXT,
    personal_email          TEXT,
    department_id           TEXT REFERENCES departments (id),
    status                  TEXT NOT NULL,
    reporting_manager_id    TEXT REFERENCES users (id) ON DELETE SET NULL,
    designation             TEXT,
    designation_lower       TEXT,
    account_type            TEXT NOT NULL,
    archived                INTEGER NOT NULL,
    optimization_inclusion  TEXT NOT NULL,
    ps_keyword              TEXT,
    ps_org_integration_id   TEXT REFERENCES integrations (id),
    ps_integration_id       TEXT,
    ldap_user_name          TEXT,
    is_ldap                 INTEGER NOT NULL,
    notifications_opt_in    INTEGER NOT NULL,
    sso_id                  TEXT,
    credential_hash         TEXT,
    last_successful_login   TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (tenant_id, email_lower)
);
CREATE INDEX users_tenant ON users (tenant_id, id);
CREATE INDEX users_manager ON users (reporting_manager_id);
CREATE INDEX users_department ON users (department_id);
CREATE INDEX users_source ON users (ps_org_integration_id);

CREATE TABLE user_custom_values (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field_id    TEXT NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value       TEXT NOT NULL,
    value_text  TEXT NOT NULL,
    PRIMARY KEY (user_id, field_id)
);
CREATE INDEX user_custom_values_field ON user_custom_values (field_id, value_text);

CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    actor_key_id  TEXT,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    changes       TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
