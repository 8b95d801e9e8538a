-- What SCIM identity providers keep on users and groups: their own id for each (externalId), and
-- the enterprise extension's employee number.
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN employee_number TEXT;
ALTER TABLE user_groups ADD COLUMN external_id TEXT;

-- A SCIM userName that is not the email: unique per tenant regardless of case, like emails.
ALTER TABLE users ADD COLUMN login_name TEXT;
ALTER TABLE users ADD COLUMN login_name_lower TEXT;
CREATE UNIQUE INDEX users_login_name_unique ON users (tenant_id, login_name_lower);

-- Whether the work email is marked primary (SCIM emails[].primary), as the identity provider set it.
ALTER TABLE users ADD COLUMN email_primary BOOLEAN NOT NULL DEFAULT TRUE;
