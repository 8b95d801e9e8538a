//! The storage interface, defined by what the directory needs. Implementations translate their own
//! errors into [`DomainError`] at their edge (a unique violation becomes a conflict naming the field).
//!
//! Work happens in a [`Session`]: a read session sees a consistent snapshot, a write session is one
//! transaction that either commits whole or leaves nothing behind.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;

use crate::error::DomainResult;
use chrono::{DateTime, Utc};

use crate::id::{
    ApiKeyId, ApplicationId, CustomFieldId, DepartmentId, IntegrationId, LicenseId, RoleId,
    TenantId, UserGroupId, UserId,
};
use crate::model::{
    ApiKey, AppUser, AppUserDetail, Application, AuditEvent, CandidateCounts, CustomField,
    Department, Integration, License, LicenseUsage, Role, RoleLinks, SeatCounts, Tenant, User,
    UserGroup,
};
use crate::query::{
    AppQuery, AppUserQuery, AppUserScope, CandidateQuery, Page, PageRequest, Slice, UserQuery,
    Window,
};
use crate::values::{Email, OptimizationKind};

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A session for reading. It must not be used to write.
    async fn reader(&self) -> DomainResult<Box<dyn Session>>;
    /// A write transaction; nothing it wrote is visible until [`Session::commit`].
    async fn writer(&self) -> DomainResult<Box<dyn Session>>;
    /// Whether the database answers (for `/readyz`).
    async fn ping(&self) -> DomainResult<()>;
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
}

/// Everything the directory can ask of storage, inside one session.
#[async_trait]
pub trait Session:
    TenantRepo
    + UserRepo
    + CatalogRepo
    + ApplicationRepo
    + LicenseRepo
    + AppUserRepo
    + OptimizationRepo
    + AccessRepo
    + AuditRepo
    + Send
{
    /// Makes a write session's changes durable. Dropping a session without commit rolls back.
    async fn commit(self: Box<Self>) -> DomainResult<()>;
}

#[async_trait]
pub trait TenantRepo {
    async fn insert_tenant(&mut self, tenant: &Tenant) -> DomainResult<()>;
    async fn tenant(&mut self, id: &TenantId) -> DomainResult<Option<Tenant>>;
    async fn tenant_by_slug(&mut self, slug: &str) -> DomainResult<Option<Tenant>>;
    async fn insert_api_key(&mut self, key: &ApiKey) -> DomainResult<()>;
    async fn api_key(&mut self, id: &ApiKeyId) -> DomainResult<Option<ApiKey>>;
    /// The key whose secret hashes to `hash`, revoked or not.
    async fn api_key_by_hash(&mut self, hash: &str) -> DomainResult<Option<ApiKey>>;
    async fn api_keys(&mut self, tenant: &TenantId) -> DomainResult<Vec<ApiKey>>;
    async fn update_api_key(&mut self, key: &ApiKey) -> DomainResult<()>;
}

#[async_trait]
pub trait UserRepo {
    /// The user, locked against concurrent writers until the session ends when `for_update`.
    async fn user(
        &mut self,
        tenant: &TenantId,
        id: &UserId,
        for_update: bool,
    ) -> DomainResult<Option<User>>;
    /// The id of the user with this email (compared case-insensitively).
    async fn user_id_by_email(
        &mut self,
        tenant: &TenantId,
        email: &str,
    ) -> DomainResult<Option<UserId>>;
    /// The reporting manager of a user, for walking the management chain.
    async fn manager_of(&mut self, tenant: &TenantId, id: &UserId) -> DomainResult<Option<UserId>>;
    async fn insert_user(&mut self, user: &User) -> DomainResult<()>;
    /// Writes `user` (with its permissions, credential, roles and group memberships) if its stored
    /// version is still `expected_version`; false when it is not.
    async fn update_user(&mut self, user: &User, expected_version: i64) -> DomainResult<bool>;
    async fn delete_user(&mut self, tenant: &TenantId, id: &UserId) -> DomainResult<bool>;
    async fn list_users(
        &mut self,
        tenant: &TenantId,
        query: &UserQuery,
    ) -> DomainResult<Page<User>>;
    async fn count_users_in_department(
        &mut self,
        tenant: &TenantId,
        id: &DepartmentId,
    ) -> DomainResult<u64>;
    async fn count_users_with_integration(
        &mut self,
        tenant: &TenantId,
        id: &IntegrationId,
    ) -> DomainResult<u64>;
}

#[async_trait]
pub trait CatalogRepo {
    async fn insert_department(&mut self, department: &Department) -> DomainResult<()>;
    async fn department(
        &mut self,
        tenant: &TenantId,
        id: &DepartmentId,
    ) -> DomainResult<Option<Department>>;
    /// The department with this name (compared case-insensitively).
    async fn department_by_name(
        &mut self,
        tenant: &TenantId,
        name: &str,
    ) -> DomainResult<Option<Department>>;
    async fn update_department(&mut self, department: &Department) -> DomainResult<()>;
    async fn delete_department(
        &mut self,
        tenant: &TenantId,
        id: &DepartmentId,
    ) -> DomainResult<bool>;
    async fn list_departments(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        page: PageRequest,
    ) -> DomainResult<Page<Department>>;

    async fn insert_custom_field(&mut self, field: &CustomField) -> DomainResult<()>;
    async fn custom_field(
        &mut self,
        tenant: &TenantId,
        id: &CustomFieldId,
    ) -> DomainResult<Option<CustomField>>;
    async fn update_custom_field(&mut self, field: &CustomField) -> DomainResult<()>;
    async fn delete_custom_field(
        &mut self,
        tenant: &TenantId,
        id: &CustomFieldId,
    ) -> DomainResult<bool>;
    async fn custom_fields(&mut self, tenant: &TenantId) -> DomainResult<Vec<CustomField>>;

    async fn insert_integration(&mut self, integration: &Integration) -> DomainResult<()>;
    async fn integration(
        &mut self,
        tenant: &TenantId,
        id: &IntegrationId,
    ) -> DomainResult<Option<Integration>>;
    async fn update_integration(&mut self, integration: &Integration) -> DomainResult<()>;
    async fn delete_integration(
        &mut self,
        tenant: &TenantId,
        id: &IntegrationId,
    ) -> DomainResult<bool>;
    async fn list_integrations(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        page: PageRequest,
    ) -> DomainResult<Page<Integration>>;
}

#[async_trait]
pub trait ApplicationRepo {
    async fn insert_application(&mut self, app: &Application) -> DomainResult<()>;
    /// The application, locked against concurrent writers until the session ends when `for_update`.
    async fn application(
        &mut self,
        tenant: &TenantId,
        id: &ApplicationId,
        for_update: bool,
    ) -> DomainResult<Option<Application>>;
    /// The id of the application with this name (compared case-insensitively).
    async fn application_id_by_name(
        &mut self,
        tenant: &TenantId,
        name: &str,
    ) -> DomainResult<Option<ApplicationId>>;
    /// Writes `app` if its stored version is still `expected_version`; false when it is not.
    async fn update_application(
        &mut self,
        app: &Application,
        expected_version: i64,
    ) -> DomainResult<bool>;
    /// Deletes the application with its licenses and application users.
    async fn delete_application(
        &mut self,
        tenant: &TenantId,
        id: &ApplicationId,
    ) -> DomainResult<bool>;
    async fn list_applications(
        &mut self,
        tenant: &TenantId,
        query: &AppQuery,
    ) -> DomainResult<Page<Application>>;
}

#[async_trait]
pub trait LicenseRepo {
    async fn insert_license(&mut self, license: &License) -> DomainResult<()>;
    async fn license(
        &mut self,
        tenant: &TenantId,
        id: &LicenseId,
        for_update: bool,
    ) -> DomainResult<Option<License>>;
    /// Writes `license` if its stored version is still `expected_version`; false when it is not.
    async fn update_license(
        &mut self,
        license: &License,
        expected_version: i64,
    ) -> DomainResult<bool>;
    /// Fails with a conflict while the license is assigned.
    async fn delete_license(&mut self, tenant: &TenantId, id: &LicenseId) -> DomainResult<bool>;
    /// An application's licenses by name, with their seats used.
    async fn licenses_of(
        &mut self,
        tenant: &TenantId,
        app: &ApplicationId,
        page: PageRequest,
    ) -> DomainResult<Page<LicenseUsage>>;
    /// Those of these licenses that exist in the tenant, with their seats used, in id order. With
    /// `for_update` they stay locked until the session ends, so that counting seats and assigning
    /// them cannot interleave with another writer's.
    async fn license_usage(
        &mut self,
        tenant: &TenantId,
        ids: &[LicenseId],
        for_update: bool,
    ) -> DomainResult<Vec<LicenseUsage>>;
    /// Those of these licenses that exist in the tenant, in id order, without counting seats.
    async fn licenses(
        &mut self,
        tenant: &TenantId,
        ids: &[LicenseId],
    ) -> DomainResult<Vec<License>>;
    /// Takes the license from everyone holding it (their versions grow); how many held it.
    async fn unassign_license(&mut self, tenant: &TenantId, id: &LicenseId) -> DomainResult<u64>;
}

#[async_trait]
pub trait AppUserRepo {
    async fn insert_app_user(&mut self, app_user: &AppUser) -> DomainResult<()>;
    /// The application user, locked against concurrent writers until the session ends when
    /// `for_update`.
    async fn app_user(
        &mut self,
        tenant: &TenantId,
        app: &ApplicationId,
        user: &UserId,
        for_update: bool,
    ) -> DomainResult<Option<AppUser>>;
    /// Writes `app_user` (with its licenses) if its stored version is still `expected_version`.
    async fn update_app_user(
        &mut self,
        app_user: &AppUser,
        expected_version: i64,
    ) -> DomainResult<bool>;
    async fn list_app_users(
        &mut self,
        tenant: &TenantId,
        scope: &AppUserScope,
        query: &AppUserQuery,
    ) -> DomainResult<Page<AppUserDetail>>;
    /// Moves the last use forward to `at`, never back. `None` when there is no such application
    /// user, else whether it moved.
    async fn record_use(
        &mut self,
        tenant: &TenantId,
        app: &ApplicationId,
        user: &UserId,
        at: DateTime<Utc>,
    ) -> DomainResult<Option<bool>>;
}

/// The optimization candidates of DESIGN §2. An application user is excluded from a kind when its
/// own setting or its user's is one of [`crate::values::OptimizationInclusion::excluding`] that kind.
#[async_trait]
pub trait OptimizationRepo {
    /// Candidates of `kind` per application (applications without candidates are left out).
    async fn candidate_counts(
        &mut self,
        tenant: &TenantId,
        kind: OptimizationKind,
        unused_since: DateTime<Utc>,
    ) -> DomainResult<Vec<CandidateCounts>>;
    /// Seats the candidates of `kind` hold, per license.
    async fn candidate_seats(
        &mut self,
        tenant: &TenantId,
        kind: OptimizationKind,
        unused_since: DateTime<Utc>,
    ) -> DomainResult<Vec<SeatCounts>>;
    /// One page of candidates, ordered by kind, application and user.
    async fn candidates(
        &mut self,
        tenant: &TenantId,
        query: &CandidateQuery,
    ) -> DomainResult<Page<(OptimizationKind, AppUserDetail)>>;
    /// Sets these application users inactive and takes all their licenses; their versions grow.
    async fn reclaim(
        &mut self,
        tenant: &TenantId,
        app_users: &[(ApplicationId, UserId)],
        at: DateTime<Utc>,
    ) -> DomainResult<()>;
}

/// User groups and roles. Users hold their direct permissions, roles and group memberships
/// themselves ([`User::role_ids`], [`User::group_ids`]); [`UserRepo`] reads and writes those.
#[async_trait]
pub trait AccessRepo {
    async fn insert_user_group(&mut self, group: &UserGroup) -> DomainResult<()>;
    /// The group (with its role ids), locked until the session ends when `for_update`.
    async fn user_group(
        &mut self,
        tenant: &TenantId,
        id: &UserGroupId,
        for_update: bool,
    ) -> DomainResult<Option<UserGroup>>;
    /// Those of these groups that exist in the tenant, by name.
    async fn user_groups(
        &mut self,
        tenant: &TenantId,
        ids: &[UserGroupId],
    ) -> DomainResult<Vec<UserGroup>>;
    /// The tenant's system groups.
    async fn system_groups(&mut self, tenant: &TenantId) -> DomainResult<Vec<UserGroup>>;
    /// Writes the group (and its role ids) if its stored version is still `expected_version`.
    async fn update_user_group(
        &mut self,
        group: &UserGroup,
        expected_version: i64,
    ) -> DomainResult<bool>;
    /// Deletes the group and its memberships; its members' versions grow.
    async fn delete_user_group(
        &mut self,
        tenant: &TenantId,
        id: &UserGroupId,
    ) -> DomainResult<bool>;
    /// Groups by name (case-insensitive), system groups included; `search` matches part of the name.
    async fn list_user_groups(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<UserGroup>>;
    /// How many users are in the group (for system groups: the users it includes).
    async fn count_members(&mut self, tenant: &TenantId, group: &UserGroup) -> DomainResult<u64>;
    /// The ids of the members of each of these plain groups of the tenant (a system group has
    /// none of its own); every group asked for has an entry.
    async fn member_ids(
        &mut self,
        tenant: &TenantId,
        groups: &[UserGroupId],
    ) -> DomainResult<BTreeMap<UserGroupId, BTreeSet<UserId>>>;
    /// The first `limit` members' emails, in email order.
    async fn members(
        &mut self,
        tenant: &TenantId,
        group: &UserGroup,
        limit: u32,
    ) -> DomainResult<Vec<Email>>;

    async fn insert_role(&mut self, role: &Role) -> DomainResult<()>;
    async fn role(
        &mut self,
        tenant: &TenantId,
        id: &RoleId,
        for_update: bool,
    ) -> DomainResult<Option<Role>>;
    /// The tenant's role with this name (compared case-insensitively).
    async fn role_by_name(&mut self, tenant: &TenantId, name: &str) -> DomainResult<Option<Role>>;
    /// Those of these roles that exist in the tenant, by name.
    async fn roles(&mut self, tenant: &TenantId, ids: &[RoleId]) -> DomainResult<Vec<Role>>;
    async fn update_role(&mut self, role: &Role, expected_version: i64) -> DomainResult<bool>;
    /// Deletes the role; the users and groups that held it lose it and their versions grow.
    async fn delete_role(&mut self, tenant: &TenantId, id: &RoleId) -> DomainResult<bool>;
    /// Roles by name (case-insensitive); `search` matches part of the name.
    async fn list_roles(
        &mut self,
        tenant: &TenantId,
        search: Option<&str>,
        window: Window,
    ) -> DomainResult<Slice<Role>>;
    /// Who holds the role, directly and through groups, with the first few of each.
    async fn role_links(
        &mut self,
        tenant: &TenantId,
        id: &RoleId,
        sample: u32,
    ) -> DomainResult<RoleLinks>;
}

#[async_trait]
pub trait AuditRepo {
    async fn append_audit(&mut self, event: &AuditEvent) -> DomainResult<()>;
    /// Newest first.
    async fn list_audit(
        &mut self,
        tenant: &TenantId,
        page: PageRequest,
    ) -> DomainResult<Page<AuditEvent>>;
}
