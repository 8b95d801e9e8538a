-- Who may do what: user groups, roles and permissions.
-- Permission sets (a user's direct ones, a role's) are the catalogue names, sorted, separated by one
-- space ('' for none): they are always read and written whole, never searched.
-- The members of the system groups (system_kind 'Everyone' and 'Service Accounts') follow from the
-- users, so they have no rows in user_group_members.

ALTER TABLE users ADD COLUMN permissions TEXT NOT NULL DEFAULT '';
-- The members of the system groups are counted without reading every user: Everyone's from a
-- count kept with the tenant (in the transaction that adds or removes a user), Service Accounts'
-- from an index.
ALTER TABLE tenants ADD COLUMN user_count BIGINT NOT NULL DEFAULT 0;
UPDATE tenants SET user_count = (SELECT COUNT(*) FROM users WHERE users.tenant_id = tenants.id);
CREATE INDEX users_account_type ON users (tenant_id, account_type);

CREATE TABLE user_groups (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_lower   TEXT NOT NULL,
    description  TEXT,
    system_kind  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      BIGINT NOT NULL,
    CONSTRAINT user_groups_name_unique UNIQUE (tenant_id, name_lower),
    CONSTRAINT user_groups_system_unique UNIQUE (tenant_id, system_kind)
);

CREATE TABLE roles (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_lower   TEXT NOT NULL,
    description  TEXT,
    permissions  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT,
    version      BIGINT NOT NULL,
    CONSTRAINT roles_name_unique UNIQUE (tenant_id, name_lower)
);

CREATE TABLE user_group_roles (
    group_id  TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    role_id   TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, role_id)
);
CREATE INDEX user_group_roles_role ON user_group_roles (role_id);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id  TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles (role_id);

CREATE TABLE user_group_members (
    group_id  TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX user_group_members_user ON user_group_members (user_id);

-- Every tenant has the two system groups; new tenants get them when they are created.
INSERT INTO user_groups
    (id, tenant_id, name, name_lower, description, system_kind, created_at, updated_at, version)
SELECT substr(md5(random()::text || t.id || k.name), 1, 24), t.id, k.name, k.name_lower, k.description, k.name, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 1
FROM tenants t
CROSS JOIN (
    SELECT 'Everyone' AS name, 'everyone' AS name_lower,
           'System group which contains all users' AS description
    UNION ALL
    SELECT 'Service Accounts', 'service accounts',
           'System group which contains all service accounts'
) k;
