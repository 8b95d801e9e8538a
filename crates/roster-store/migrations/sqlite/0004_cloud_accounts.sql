-- BlueXP's cloud accounts of a user, and API keys that act for a user.
-- Each cloud account is one JSON object (NULL when the user has none). Secrets inside them are
-- argon2 hashes: they are written, never read back to a client.
ALTER TABLE users ADD COLUMN azure_credentials TEXT;
ALTER TABLE users ADD COLUMN aws_credentials TEXT;
ALTER TABLE users ADD COLUMN cloud_sync_license TEXT;

-- The user a key belongs to (BlueXP's current user). Deleting the user leaves the key working
-- for the tenant, bound to no one.
ALTER TABLE api_keys ADD COLUMN user_id TEXT REFERENCES users (id) ON DELETE SET NULL;
