//! How lists are asked for: paging, filters and sorting, independent of any wire format.

use chrono::{DateTime, Utc};

use crate::id::{ApplicationId, CustomFieldId, DepartmentId, LicenseId, UserGroupId, UserId};
use crate::values::{
    AccountType, AppStatus, AppType, OptimizationInclusion, OptimizationKind, UserStatus,
};

/// A 1-based page of at most `size` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub size: u32,
}

impl PageRequest {
    pub const DEFAULT_SIZE: u32 = 50;
    pub const MAX_SIZE: u32 = 1000;

    /// Pages start at 1; sizes are capped at [`Self::MAX_SIZE`].
    pub fn new(page: u32, size: u32) -> Self {
        Self {
            page: page.max(1),
            size: size.clamp(1, Self::MAX_SIZE),
        }
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.size)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(1, Self::DEFAULT_SIZE)
    }
}

/// One page of results and the total number of matches.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub total: u64,
    pub request: PageRequest,
    pub items: Vec<T>,
}

/// A stretch of a list by offset and length (Wavefront pages this way; a [`PageRequest`] is one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u32,
}

impl Window {
    pub const DEFAULT_LIMIT: u32 = 100;

    /// Lengths are capped at [`PageRequest::MAX_SIZE`].
    pub fn new(offset: u64, limit: u32) -> Self {
        Self {
            offset,
            limit: limit.clamp(1, PageRequest::MAX_SIZE),
        }
    }
}

impl From<PageRequest> for Window {
    fn from(page: PageRequest) -> Self {
        Self::new(page.offset(), page.size)
    }
}

/// The items of one [`Window`] and the total number of matches.
#[derive(Clone, Debug)]
pub struct Slice<T> {
    pub total: u64,
    pub items: Vec<T>,
}

/// A condition on users. A list of them is a conjunction.
#[derive(Clone, Debug, PartialEq)]
pub enum UserFilter {
    Ids(Vec<UserId>),
    Status(Vec<UserStatus>),
    AccountType(Vec<AccountType>),
    Department(Vec<DepartmentId>),
    Designation(Vec<String>),
    Archived(bool),
    OptimizationInclusion(Vec<OptimizationInclusion>),
    ReportingManager(Vec<UserId>),
    /// A member of one of these (plain) user groups.
    Groups(Vec<UserGroupId>),
    /// The user's value of a custom field, compared as text, is one of these.
    CustomField {
        field: CustomFieldId,
        values: Vec<String>,
    },
    /// The user's email is one of these (compared case-insensitively).
    Emails(Vec<String>),
    /// The user's email or personal email is one of these, compared case-insensitively. The
    /// personal email is case-folded by the database, which folds ASCII letters (and the Kelvin
    /// sign, the one other character Unicode folds into ASCII): with a value that is not all
    /// ASCII, a personal email differing from it only in the case of other letters is missed.
    AnyEmails(Vec<String>),
    /// The id an identity provider gave the user (SCIM `externalId`) is one of these, compared
    /// exactly.
    ExternalIds(Vec<String>),
    /// The user's name to sign in with (their login name, else their email) is one of these,
    /// compared case-insensitively: SCIM's `userName`.
    UserNames(Vec<String>),
    /// The name or email contains one of these terms, case-insensitively.
    Search(Vec<String>),
}

/// A filter together with whether it is negated.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition<F = UserFilter> {
    pub filter: F,
    pub negated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSortKey {
    Id,
    Name,
    Email,
    Status,
    Designation,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub descending: bool,
}

/// A page of a list: the conditions it must meet (all of them), its order and which page.
#[derive(Clone, Debug)]
pub struct Query<F, K> {
    pub conditions: Vec<Condition<F>>,
    pub sort: Vec<Sort<K>>,
    pub page: PageRequest,
}

impl<F, K> Default for Query<F, K> {
    fn default() -> Self {
        Self {
            conditions: Vec::new(),
            sort: Vec::new(),
            page: PageRequest::default(),
        }
    }
}

pub type UserQuery = Query<UserFilter, UserSortKey>;

/// A condition on applications.
#[derive(Clone, Debug)]
pub enum AppFilter {
    Ids(Vec<ApplicationId>),
    Status(Vec<AppStatus>),
    Type(Vec<AppType>),
    Archived(bool),
    /// Any of the three owners is one of these users.
    Owner(Vec<UserId>),
    /// Has at least one of these tags.
    Tags(Vec<String>),
    /// The name contains one of these terms, case-insensitively.
    Search(Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppSortKey {
    Id,
    Name,
    Status,
    CreatedAt,
    UpdatedAt,
}

pub type AppQuery = Query<AppFilter, AppSortKey>;

/// How a time is compared with a bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Gt,
    Gte,
    Lt,
    Lte,
}

/// A condition on application users (and the user behind each).
#[derive(Clone, Debug)]
pub enum AppUserFilter {
    Status(Vec<AppStatus>),
    /// Holds at least one of these licenses.
    Licenses(Vec<LicenseId>),
    /// Holds any license at all.
    LicenseMapped(bool),
    Role(Vec<String>),
    Archived(bool),
    /// Every bound holds for the last use (never used matches no bound).
    LastUsed(Vec<(Comparison, DateTime<Utc>)>),
    UserStatus(Vec<UserStatus>),
    UserArchived(bool),
    UserAccountType(Vec<AccountType>),
    UserDepartment(Vec<DepartmentId>),
    UserDesignation(Vec<String>),
    /// The user's name or email contains one of these terms, case-insensitively.
    Search(Vec<String>),
    /// The application's name contains one of these terms, case-insensitively.
    AppSearch(Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppUserSortKey {
    UserName,
    UserEmail,
    AppName,
    LastUsed,
    CreatedAt,
}

pub type AppUserQuery = Query<AppUserFilter, AppUserSortKey>;

/// Whose application users a list is about.
#[derive(Clone, Debug)]
pub enum AppUserScope {
    App(ApplicationId),
    User(UserId),
    /// The application users of any of these users.
    Users(Vec<UserId>),
}

/// Which optimization candidates to list.
#[derive(Clone, Debug)]
pub struct CandidateQuery {
    pub kinds: Vec<OptimizationKind>,
    pub app: Option<ApplicationId>,
    /// Only these application users (application, user), when given.
    pub only: Option<Vec<(ApplicationId, UserId)>>,
    /// Unused means not used since this time (or never).
    pub unused_since: DateTime<Utc>,
    pub page: PageRequest,
}
