//! The storage conformance suite for license optimization (DESIGN §2), run against SQLite and
//! PostgreSQL alike, on a small tenant with one application user for each rule.

use chrono::{DateTime, Duration, Utc};
use roster_core::id::{ApplicationId, LicenseId, TenantId, UserId};
use roster_core::model::{
    now, AppUser, AppUserDetail, Application, CandidateCounts, License, Tenant, User,
};
use roster_core::money::{Amount, Currency};
use roster_core::query::{CandidateQuery, Page, PageRequest};
use roster_core::store::{Session, Store};
use roster_core::values::{AppStatus, Name, OptimizationInclusion, OptimizationKind, UserStatus};

#[expect(dead_code, reason = "no conflicts are checked here")]
mod common;
use common::{stores, tenant, user};

use OptimizationKind::{Undeprovisioned, Unused};

/// The hand-built tenant: three applications, four licenses and one application user per rule.
struct World {
    acme: Tenant,
    /// Created first, so its id sorts first.
    crm: Application,
    chat: Application,
    /// Its only user excludes themselves.
    wiki: Application,
    crm_pro: License,
    crm_basic: License,
    chat_seat: License,
    wiki_seat: License,
    users: Vec<User>,
    app_users: Vec<AppUser>,
    unused_since: DateTime<Utc>,
}

impl World {
    fn new(name: &str) -> Self {
        let acme = tenant(name);
        let crm = Application::new(acme.id.clone(), Name::parse("CRM").expect("name"));
        let chat = Application::new(acme.id.clone(), Name::parse("Chat").expect("name"));
        let wiki = Application::new(acme.id.clone(), Name::parse("Wiki").expect("name"));
        let license = |app: &Application, name: &str| License {
            id: LicenseId::generate(),
            tenant_id: acme.id.clone(),
            app_id: app.id.clone(),
            name: Name::parse(name).expect("name"),
            seats: None,
            cost_per_seat: Amount::parse("10").expect("amount"),
            currency: Currency::usd(),
            created_at: now(),
            updated_at: now(),
            version: 1,
        };
        let (crm_pro, crm_basic, chat_seat, wiki_seat) = (
            license(&crm, "Pro"),
            license(&crm, "Basic"),
            license(&chat, "Seat"),
            license(&wiki, "Seat"),
        );
        Self {
            acme,
            crm,
            chat,
            wiki,
            crm_pro,
            crm_basic,
            chat_seat,
            wiki_seat,
            users: Vec::new(),
            app_users: Vec::new(),
            unused_since: now() - Duration::days(30),
        }
    }

    /// Adds a user and their use of `app`; `days` since the last use (`None`: never).
    fn add(
        &mut self,
        name: &str,
        status: UserStatus,
        app: &Application,
        licenses: &[&License],
        days: Option<i64>,
    ) -> (UserId, ApplicationId) {
        let mut person = user(&self.acme, &format!("{name}@example.com"), name);
        person.status = status;
        let mut member = AppUser::new(self.acme.id.clone(), app.id.clone(), person.id.clone());
        member.licenses = licenses.iter().map(|license| license.id.clone()).collect();
        member.licenses.sort();
        member.last_used_at = days.map(|days| now() - Duration::days(days));
        let key = (person.id.clone(), app.id.clone());
        self.users.push(person);
        self.app_users.push(member);
        key
    }

    fn last(&mut self) -> (&mut User, &mut AppUser) {
        let person = self.users.last_mut().expect("a user");
        let member = self.app_users.last_mut().expect("an app user");
        (person, member)
    }

    async fn write(&self, session: &mut Box<dyn Session>) {
        session.insert_tenant(&self.acme).await.expect("tenant");
        for app in [&self.crm, &self.chat, &self.wiki] {
            session.insert_application(app).await.expect("app");
        }
        for license in [
            &self.crm_pro,
            &self.crm_basic,
            &self.chat_seat,
            &self.wiki_seat,
        ] {
            session.insert_license(license).await.expect("license");
        }
        for person in &self.users {
            session.insert_user(person).await.expect("user");
        }
        for member in &self.app_users {
            session.insert_app_user(member).await.expect("app user");
        }
    }
}

/// The (kind, (application, user)) of each candidate of a page.
fn listed(page: &Page<(OptimizationKind, AppUserDetail)>) -> Vec<(OptimizationKind, Key)> {
    page.items
        .iter()
        .map(|(kind, detail)| {
            let member = &detail.app_user;
            (*kind, (member.app_id.clone(), member.user_id.clone()))
        })
        .collect()
}

type Key = (ApplicationId, UserId);

#[tokio::test]
async fn candidates_follow_the_rules_of_each_kind() {
    for (_database, store) in stores().await {
        let mut world = World::new("Acme");
        let (crm, chat) = (world.crm.clone(), world.chat.clone());
        let (pro, basic, seat) = (
            world.crm_pro.clone(),
            world.crm_basic.clone(),
            world.chat_seat.clone(),
        );
        use UserStatus::{Active, Inactive, Suspended};
        // Candidates.
        let bob = world.add("bob", Suspended, &crm, &[&pro], Some(1));
        let carol = world.add("carol", Active, &chat, &[&seat], Some(1));
        world.last().0.archived = true;
        let dave = world.add("dave", Active, &crm, &[&pro, &basic], None);
        let erin = world.add("erin", Active, &chat, &[&seat], Some(60));
        // Not candidates.
        world.add("alice", Active, &crm, &[&pro], Some(1));
        world.add("frank", Inactive, &crm, &[&pro], Some(1));
        world.last().0.optimization_inclusion = OptimizationInclusion::ExcludeUndeprovisioned;
        world.add("gina", Inactive, &chat, &[&seat], Some(1));
        world.last().1.optimization_inclusion = OptimizationInclusion::ExcludeAll;
        let (wiki, wiki_seat) = (world.wiki.clone(), world.wiki_seat.clone());
        world.add("hank", Active, &wiki, &[&wiki_seat], None);
        world.last().0.optimization_inclusion = OptimizationInclusion::ExcludeUnused;
        world.add("ivan", Active, &chat, &[&seat], None);
        world.last().1.optimization_inclusion = OptimizationInclusion::ExcludeUnused;
        world.add("judy", Active, &crm, &[], None);
        world.add("ken", Suspended, &chat, &[&seat], None);
        world.last().1.status = AppStatus::Inactive;
        // The same rules in another tenant count there only.
        let mut elsewhere = World::new("Other");
        let other_crm = elsewhere.crm.clone();
        elsewhere.add("olga", Suspended, &other_crm, &[], None);

        let mut session = store.writer().await.expect("writer");
        world.write(&mut session).await;
        elsewhere.write(&mut session).await;
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let tenant = &world.acme.id;
        let counts = all_counts(session.as_mut(), tenant, world.unused_since).await;
        let mut counts: Vec<_> = counts
            .iter()
            .map(|c| (c.kind.as_str(), c.app_name.as_str(), c.candidates))
            .collect();
        counts.sort();
        assert_eq!(
            counts,
            [
                ("undeprovisioned", "CRM", 1),
                ("undeprovisioned", "Chat", 1),
                ("unused", "CRM", 1),
                ("unused", "Chat", 1),
            ],
            "{}",
            store.backend()
        );

        let mut seats = Vec::new();
        for &kind in OptimizationKind::ALL {
            let found = session.candidate_seats(tenant, kind, world.unused_since);
            seats.extend(found.await.expect("seats"));
        }
        let mut seats: Vec<_> = seats
            .iter()
            .map(|s| (s.kind.as_str(), s.license_id.clone(), s.seats))
            .collect();
        seats.sort();
        let mut expected = vec![
            ("undeprovisioned", pro.id.clone(), 1),
            ("undeprovisioned", seat.id.clone(), 1),
            ("unused", pro.id.clone(), 1),
            ("unused", basic.id.clone(), 1),
            ("unused", seat.id.clone(), 1),
        ];
        expected.sort();
        assert_eq!(seats, expected, "{}", store.backend());

        let mut query = CandidateQuery {
            kinds: vec![Unused, Undeprovisioned],
            app: None,
            only: None,
            unused_since: world.unused_since,
            page: PageRequest::new(1, 3),
        };
        let key = |(user, app): &(UserId, ApplicationId)| (app.clone(), user.clone());
        let mut undeprovisioned = [key(&bob), key(&carol)];
        undeprovisioned.sort();
        let mut unused = [key(&dave), key(&erin)];
        unused.sort();
        let expected: Vec<_> = undeprovisioned
            .iter()
            .map(|k| (Undeprovisioned, k.clone()))
            .chain(unused.iter().map(|k| (Unused, k.clone())))
            .collect();
        let first = session.candidates(tenant, &query).await.expect("page");
        assert_eq!(first.total, 4, "{}", store.backend());
        assert_eq!(listed(&first), expected[..3]);
        query.page = PageRequest::new(2, 3);
        let second = session.candidates(tenant, &query).await.expect("page");
        assert_eq!(listed(&second), expected[3..]);
        assert_eq!(second.items[0].1.user_name.as_str(), "erin");

        query.page = PageRequest::default();
        query.app = Some(chat.id.clone());
        let in_chat = session.candidates(tenant, &query).await.expect("page");
        assert_eq!(
            listed(&in_chat),
            [(Undeprovisioned, key(&carol)), (Unused, key(&erin))]
        );
        query.app = None;
        query.kinds = vec![Unused];
        query.only = Some(vec![(crm.id.clone(), dave.0.clone()), key(&bob)]);
        let only = session.candidates(tenant, &query).await.expect("page");
        assert_eq!(
            listed(&only),
            [(Unused, key(&dave))],
            "only candidates of the kind"
        );
        query.only = Some(Vec::new());
        assert_eq!(
            session
                .candidates(tenant, &query)
                .await
                .expect("page")
                .total,
            0
        );
    }
}

#[tokio::test]
async fn reclaiming_sets_application_users_inactive_and_frees_their_seats() {
    for (_database, store) in stores().await {
        let mut world = World::new("Acme");
        let (crm, pro, basic) = (
            world.crm.clone(),
            world.crm_pro.clone(),
            world.crm_basic.clone(),
        );
        let bob = world.add("bob", UserStatus::Suspended, &crm, &[&pro], Some(1));
        let dave = world.add("dave", UserStatus::Active, &crm, &[&pro, &basic], None);
        let alice = world.add("alice", UserStatus::Active, &crm, &[&pro], Some(1));
        let mut session = store.writer().await.expect("writer");
        world.write(&mut session).await;
        session.commit().await.expect("commit");

        // As the directory does: the candidates, read (and locked) in the writing session.
        let mut session = store.writer().await.expect("writer");
        let query = CandidateQuery {
            kinds: vec![Undeprovisioned, Unused],
            app: None,
            only: None,
            unused_since: world.unused_since,
            page: PageRequest::default(),
        };
        let found = session
            .candidates(&world.acme.id, &query)
            .await
            .expect("candidates");
        let keys: Vec<Key> = listed(&found).into_iter().map(|(_, key)| key).collect();
        let mut expected = vec![
            (crm.id.clone(), bob.0.clone()),
            (crm.id.clone(), dave.0.clone()),
        ];
        expected.sort();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(sorted, expected, "{}", store.backend());
        let at = now();
        session
            .reclaim(&world.acme.id, &keys, at)
            .await
            .expect("reclaim");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        for (before, (user, app)) in world.app_users.iter().zip([&bob, &dave, &alice]) {
            let after = session
                .app_user(&world.acme.id, app, user, false)
                .await
                .expect("read")
                .expect("exists");
            if user == &alice.0 {
                assert_eq!(&after, before, "{}", store.backend());
            } else {
                assert_eq!(after.status, AppStatus::Inactive, "{}", store.backend());
                assert!(after.licenses.is_empty());
                assert_eq!(after.version, before.version + 1);
                assert_eq!(after.updated_at, at);
            }
        }
        let usage = session
            .license_usage(&world.acme.id, &[pro.id.clone(), basic.id.clone()], false)
            .await
            .expect("usage");
        let used: Vec<_> = usage
            .iter()
            .map(|u| (u.license.id.clone(), u.seats_used))
            .collect();
        let mut expected = vec![(pro.id.clone(), 1), (basic.id.clone(), 0)];
        expected.sort();
        assert_eq!(used, expected);
        let counts = all_counts(session.as_mut(), &world.acme.id, world.unused_since).await;
        assert!(counts.is_empty(), "{counts:?}");
    }
}

/// The candidate counts of both kinds.
async fn all_counts(
    session: &mut dyn Session,
    tenant: &TenantId,
    since: DateTime<Utc>,
) -> Vec<CandidateCounts> {
    let mut counts = Vec::new();
    for &kind in OptimizationKind::ALL {
        let found = session.candidate_counts(tenant, kind, since);
        counts.extend(found.await.expect("counts"));
    }
    counts
}
