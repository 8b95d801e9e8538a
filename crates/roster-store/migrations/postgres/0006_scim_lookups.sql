-- Identity providers look a user up by their own id for it (SCIM `externalId eq "…"`) before they
-- create or change one; on a large tenant that must be an index lookup, not a scan.
CREATE INDEX users_external_id ON users (tenant_id, external_id);
