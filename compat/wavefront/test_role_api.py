"""Every operation of the real client's RoleApi against Roster, and how roles reach users."""

import unittest

import wavefront_api_client as wf

from client import WavefrontTestCase, unique, unknown_id


class CreateRole(WavefrontTestCase):
    def test_create_role_returns_the_role(self):
        name = unique("Auditor")
        role = self.make_role(name=name, description="Reads the logs", permissions=["log_management", "alerts_management"])
        self.assertTrue(role.id)
        self.assertEqual(role.name, name)
        self.assertEqual(role.description, "Reads the logs")
        self.assertEqual(sorted(role.permissions), ["alerts_management", "log_management"])
        self.assertEqual(role.linked_accounts_count, 0)
        self.assertEqual(role.linked_groups_count, 0)

    def test_create_role_rejects_an_unknown_permission(self):
        name = unique("role")
        self.assert_error(400, self.roles.create_role, wf.RoleCreateDTO(name=name, permissions=["no_such_permission"]))
        self.assertNotIn(name, [role.name for role in self.all_roles()])

    def test_create_role_rejects_a_duplicate_name(self):
        role = self.make_role()
        self.assert_error(409, self.roles.create_role, wf.RoleCreateDTO(name=role.name, permissions=[]))

    def all_roles(self):
        return self.assert_ok(self.roles.get_all_roles(offset=0, limit=100)).items or []


class ReadRoles(WavefrontTestCase):
    def test_get_all_roles_pages_by_offset_and_limit(self):
        made = [self.make_role().id for _ in range(3)]
        first = self.assert_ok(self.roles.get_all_roles(offset=0, limit=100))
        total = first.total_items
        self.assertEqual(len(first.items), total)
        self.assertTrue(set(made) <= {role.id for role in first.items})
        self.assertFalse(first.more_items)
        paged = []
        for offset in range(0, total, 2):
            page = self.assert_ok(self.roles.get_all_roles(offset=offset, limit=2))
            self.assertEqual((page.offset, page.limit, page.total_items), (offset, 2, total))
            self.assertEqual(page.more_items, offset + 2 < total)
            paged.extend(role.id for role in page.items)
        self.assertEqual(paged, [role.id for role in first.items])

    def test_get_role_returns_the_role(self):
        made = self.make_role(permissions=["ingestion"], description="by id")
        role = self.assert_ok(self.roles.get_role(made.id))
        self.assertEqual((role.id, role.name, role.description), (made.id, made.name, "by id"))
        self.assertEqual(role.permissions, ["ingestion"])

    def test_get_role_of_an_unknown_id_is_404(self):
        self.assert_error(404, self.roles.get_role, unknown_id())


class UpdateRole(WavefrontTestCase):
    def test_update_role_replaces_name_description_and_permissions(self):
        role = self.make_role(permissions=["ingestion"], description="before")
        name = unique("Renamed")
        updated = self.assert_ok(
            self.roles.update_role(
                role.id,
                wf.RoleUpdateDTO(id=role.id, name=name, description="after", permissions=["events_management"]),
            )
        )
        self.assertEqual((updated.id, updated.name, updated.description), (role.id, name, "after"))
        self.assertEqual(updated.permissions, ["events_management"])
        fetched = self.assert_ok(self.roles.get_role(role.id))
        self.assertEqual((fetched.name, fetched.description, fetched.permissions), (name, "after", ["events_management"]))

    def test_update_role_rejects_an_unknown_permission(self):
        role = self.make_role(permissions=["ingestion"])
        self.assert_error(
            400, self.roles.update_role, role.id, wf.RoleUpdateDTO(name=role.name, permissions=["no_such_permission"])
        )
        self.assertEqual(self.assert_ok(self.roles.get_role(role.id)).permissions, ["ingestion"])

    def test_update_role_of_an_unknown_id_is_404(self):
        self.assert_error(404, self.roles.update_role, unknown_id(), wf.RoleUpdateDTO(name=unique("x"), permissions=[]))


class DeleteRole(WavefrontTestCase):
    def test_delete_role_returns_it_and_users_and_groups_lose_it(self):
        role = self.make_role(permissions=["ingestion"])
        group = self.make_group(role_ids=[role.id])
        user = self.make_user(roles=[role.id])
        deleted = self.assert_ok(self.roles.delete_role(role.id))
        self.assertEqual((deleted.id, deleted.name), (role.id, role.name))
        self.assert_error(404, self.roles.get_role, role.id)
        self.assert_role_ids(self.users.get_user(user.identifier).roles)
        self.assert_role_ids(self.assert_ok(self.groups.get_user_group(group.id)).roles)

    def test_delete_role_of_an_unknown_id_is_404(self):
        self.assert_error(404, self.roles.delete_role, unknown_id())


class Assignees(WavefrontTestCase):
    def test_add_and_remove_assignees(self):
        role = self.make_role()
        first, second = self.make_user(), self.make_user()
        group = self.make_group()
        added = self.assert_ok(self.roles.add_assignees(role.id, [first.identifier, group.id, second.identifier]))
        self.assertEqual(added.linked_accounts_count, 2)
        self.assertEqual(added.linked_groups_count, 1)
        self.assertEqual(sorted(added.sample_linked_accounts), sorted([first.identifier, second.identifier]))
        self.assertEqual([g.id for g in added.sample_linked_groups], [group.id])
        self.assertEqual(added.sample_linked_groups[0].name, group.name)
        self.assert_role_ids(self.users.get_user(first.identifier).roles, role.id)
        self.assert_role_ids(self.assert_ok(self.groups.get_user_group(group.id)).roles, role.id)

        removed = self.assert_ok(self.roles.remove_assignees(role.id, [first.identifier, group.id]))
        self.assertEqual(removed.linked_accounts_count, 1)
        self.assertEqual(removed.linked_groups_count, 0)
        self.assertEqual(removed.sample_linked_accounts, [second.identifier])
        self.assertEqual(removed.sample_linked_groups or [], [])
        self.assert_role_ids(self.users.get_user(first.identifier).roles)
        self.assert_role_ids(self.users.get_user(second.identifier).roles, role.id)
        fetched = self.assert_ok(self.roles.get_role(role.id))
        self.assertEqual((fetched.linked_accounts_count, fetched.linked_groups_count), (1, 0))

    def test_add_assignees_rejects_an_unknown_assignee(self):
        role = self.make_role()
        user = self.make_user()
        self.assert_error(400, self.roles.add_assignees, role.id, [user.identifier, "nobody-%s@example.com" % unknown_id()])
        self.assert_role_ids(self.users.get_user(user.identifier).roles)

    def test_add_assignees_to_an_unknown_role_is_404(self):
        user = self.make_user()
        self.assert_error(404, self.roles.add_assignees, unknown_id(), [user.identifier])


class RolePermissions(WavefrontTestCase):
    def test_grant_and_revoke_permission_for_several_roles(self):
        first, second = self.make_role(), self.make_role(permissions=["ingestion"])
        granted = self.assert_ok(self.roles.grant_permission_to_roles("alerts_management", [first.id, second.id]))
        self.assertEqual(granted.id, first.id)
        self.assertEqual(granted.permissions, ["alerts_management"])
        self.assertEqual(
            sorted(self.assert_ok(self.roles.get_role(second.id)).permissions), ["alerts_management", "ingestion"]
        )
        revoked = self.assert_ok(self.roles.revoke_permission_from_roles("alerts_management", [first.id, second.id]))
        self.assertEqual(revoked.id, first.id)
        self.assertEqual(revoked.permissions or [], [])
        self.assertEqual(self.assert_ok(self.roles.get_role(second.id)).permissions, ["ingestion"])

    def test_grant_permission_to_an_unknown_role_is_400_and_changes_nothing(self):
        role = self.make_role()
        self.assert_error(400, self.roles.grant_permission_to_roles, "alerts_management", [role.id, unknown_id()])
        self.assertEqual(self.assert_ok(self.roles.get_role(role.id)).permissions or [], [])

    def test_granting_an_unknown_permission_to_roles_is_400(self):
        role = self.make_role()
        self.assert_error(400, self.roles.grant_permission_to_roles, "no_such_permission", [role.id])


class HowRolesReachUsers(WavefrontTestCase):
    def test_a_group_role_shows_in_user_groups_and_never_in_direct_permissions(self):
        role = self.make_role(permissions=["events_management"])
        group = self.make_group(role_ids=[role.id])
        user = self.make_user(groups=["ingestion"], user_groups=[group.id])
        fetched = self.users.get_user(user.identifier)
        self.assertEqual(fetched.groups, ["ingestion"])
        self.assert_group_names(fetched, group.name)
        in_group = [g for g in fetched.user_groups if g.id == group.id][0]
        self.assert_role_ids(in_group.roles, role.id)
        self.assertEqual(in_group.roles[0].permissions, ["events_management"])

        self.assert_ok(self.roles.grant_permission_to_roles("alerts_management", [role.id]))
        fetched = self.users.get_user(user.identifier)
        self.assertEqual(fetched.groups, ["ingestion"])
        in_group = [g for g in fetched.user_groups if g.id == group.id][0]
        self.assertEqual(sorted(in_group.roles[0].permissions), ["alerts_management", "events_management"])


if __name__ == "__main__":
    unittest.main()
