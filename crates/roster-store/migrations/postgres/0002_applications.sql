-- Applications, their licenses and their users, for seat accounting and license optimization.
-- Amounts are exact decimal text; they are summed in Rust, never in SQL floating point.
-- app_users.license_ids mirrors the rows of app_user_licenses (the ids, sorted, separated by one
-- space; '' for none), so that "holds a license" and "which seats do the candidates hold" are read
-- from an index instead of probing another table for each of hundreds of thousands of rows.
-- app_users.last_used_at is '' when never used: it sorts before every time, so that "not used
-- since T, or never" is one index range (a NULL would need a second scan, or a full one).

CREATE TABLE applications (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    name_lower          TEXT NOT NULL,
    app_type            TEXT NOT NULL,
    status              TEXT NOT NULL,
    owner_id            TEXT REFERENCES users (id) ON DELETE SET NULL,
    technical_owner_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    financial_owner_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    budget              TEXT,
    archived            BOOLEAN NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             BIGINT NOT NULL,
    CONSTRAINT applications_name_unique UNIQUE (tenant_id, name_lower)
);
CREATE INDEX applications_tenant ON applications (tenant_id, id);
CREATE INDEX applications_owner ON applications (owner_id);
CREATE INDEX applications_technical_owner ON applications (technical_owner_id);
CREATE INDEX applications_financial_owner ON applications (financial_owner_id);

CREATE TABLE application_tags (
    app_id     TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    tag_lower  TEXT NOT NULL,
    PRIMARY KEY (app_id, tag)
);
CREATE INDEX application_tags_tag ON application_tags (tag_lower);

CREATE TABLE application_custom_values (
    app_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    field_id    TEXT NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value       TEXT NOT NULL,
    value_text  TEXT NOT NULL,
    PRIMARY KEY (app_id, field_id)
);
CREATE INDEX application_custom_values_field ON application_custom_values (field_id);

CREATE TABLE licenses (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_id         TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    name_lower     TEXT NOT NULL,
    seats          BIGINT,
    cost_per_seat  TEXT NOT NULL,
    currency       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        BIGINT NOT NULL,
    CONSTRAINT licenses_name_unique UNIQUE (app_id, name_lower)
);
CREATE INDEX licenses_tenant ON licenses (tenant_id, id);

CREATE TABLE app_users (
    app_id                  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id                 TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id               TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role                    TEXT,
    role_lower              TEXT,
    status                  TEXT NOT NULL,
    archived                BOOLEAN NOT NULL,
    optimization_inclusion  TEXT NOT NULL,
    license_ids             TEXT NOT NULL,
    last_used_at            TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 BIGINT NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
-- Both cover every column the optimization queries read. Each ends with the rest of the key:
-- SQLite keeps the key in every index of a WITHOUT ROWID table anyway, PostgreSQL does not.
-- The unused candidates, one range per application: active, last used before a time (or never).
-- Application first, so that a tenant's candidates come out grouped by application (no sort) and
-- one application's are found without reading the others'.
CREATE INDEX app_users_activity
    ON app_users (app_id, status, last_used_at, optimization_inclusion, license_ids, user_id);
-- A user's applications; the candidates of the few users who are deprovisioned, archived, or
-- excluded from optimization, found from them.
CREATE INDEX app_users_user
    ON app_users (user_id, status, last_used_at, optimization_inclusion, license_ids, app_id);

CREATE TABLE app_user_licenses (
    app_id      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    license_id  TEXT NOT NULL REFERENCES licenses (id),
    PRIMARY KEY (app_id, user_id, license_id),
    FOREIGN KEY (app_id, user_id) REFERENCES app_users (app_id, user_id) ON DELETE CASCADE
);
CREATE INDEX app_user_licenses_license ON app_user_licenses (license_id);

CREATE INDEX users_status ON users (tenant_id, status);
CREATE INDEX users_optimization ON users (tenant_id, optimization_inclusion);
CREATE INDEX users_archived ON users (tenant_id, archived);
