//! How lists are asked for: paging, filters and sorting, independent of any wire format.

use crate::id::{CustomFieldId, DepartmentId, UserId};
use crate::values::{AccountType, OptimizationInclusion, UserStatus};

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

/// A condition on users. A list of them is a conjunction.
#[derive(Clone, Debug)]
pub enum UserFilter {
    Ids(Vec<UserId>),
    Status(Vec<UserStatus>),
    AccountType(Vec<AccountType>),
    Department(Vec<DepartmentId>),
    Designation(Vec<String>),
    Archived(bool),
    OptimizationInclusion(Vec<OptimizationInclusion>),
    ReportingManager(Vec<UserId>),
    /// The user's value of a custom field, compared as text, is one of these.
    CustomField {
        field: CustomFieldId,
        values: Vec<String>,
    },
    /// The user's email is one of these (compared case-insensitively).
    Emails(Vec<String>),
    /// The name or email contains one of these terms, case-insensitively.
    Search(Vec<String>),
}

/// A filter together with whether it is negated.
#[derive(Clone, Debug)]
pub struct Condition {
    pub filter: UserFilter,
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

#[derive(Clone, Debug, Default)]
pub struct UserQuery {
    pub conditions: Vec<Condition>,
    pub sort: Vec<Sort<UserSortKey>>,
    pub page: PageRequest,
}
