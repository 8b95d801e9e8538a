"""Every operation of the real client's UserGroupApi against Roster."""

import re
import unittest

import wavefront_api_client as wf

from client import CUSTOMER, WavefrontTestCase, unique, unknown_id


class CreateUserGroup(WavefrontTestCase):
    def test_create_user_group_returns_the_group(self):
        role = self.make_role(permissions=["alerts_management"])
        name = unique("Operators")
        group = self.make_group(name=name, role_ids=[role.id], description="Keeps things running")
        self.assertRegex(group.id, re.compile(r"^[0-9a-f]{24}$"))
        self.assertEqual(group.name, name)
        self.assertEqual(group.description, "Keeps things running")
        self.assertEqual(group.customer, CUSTOMER)
        self.assertTrue(group.properties.name_editable)
        self.assertTrue(group.properties.users_editable)
        self.assertTrue(group.properties.roles_editable)
        self.assertEqual(group.user_count, 0)
        self.assertEqual(group.users or [], [])
        self.assert_role_ids(group.roles, role.id)
        self.assertEqual(group.roles[0].name, role.name)

    def test_create_user_group_rejects_a_duplicate_name(self):
        group = self.make_group()
        self.assert_error(409, self.groups.create_user_group, body=wf.UserGroupWrite(name=group.name, role_ids=[]))

    def test_create_user_group_rejects_an_unknown_role(self):
        name = unique("group")
        self.assert_error(400, self.groups.create_user_group, body=wf.UserGroupWrite(name=name, role_ids=[unknown_id()]))
        self.assertNotIn(name, [group.name for group in self.all_groups()])


class ReadUserGroups(WavefrontTestCase):
    def test_get_all_user_groups_includes_the_system_groups(self):
        everyone = self.everyone()
        self.assertFalse(everyone.properties.name_editable)
        self.assertFalse(everyone.properties.users_editable)
        self.assertEqual(everyone.customer, CUSTOMER)
        service_accounts = self.system_group("Service Accounts")
        self.assertFalse(service_accounts.properties.name_editable)
        self.assertFalse(service_accounts.properties.users_editable)

    def test_everyone_holds_every_user(self):
        user = self.make_user()
        everyone = self.assert_ok(self.groups.get_user_group(self.everyone().id))
        self.assertIn(user.identifier, everyone.users)
        self.assertNotIn(user.identifier, self.system_group("Service Accounts").users or [])

    def test_get_all_user_groups_pages_by_offset_and_limit(self):
        for _ in range(3):
            self.make_group()
        first = self.assert_ok(self.groups.get_all_user_groups(offset=0, limit=100))
        total = first.total_items
        self.assertGreaterEqual(total, 5)  # three made here and the two system groups
        self.assertEqual(len(first.items), total)
        self.assertFalse(first.more_items)
        self.assertEqual(first.offset, 0)
        self.assertEqual(first.limit, 100)
        paged = []
        for offset in range(0, total, 2):
            page = self.assert_ok(self.groups.get_all_user_groups(offset=offset, limit=2))
            self.assertEqual(page.offset, offset)
            self.assertEqual(page.limit, 2)
            self.assertEqual(page.total_items, total)
            self.assertEqual(page.more_items, offset + 2 < total)
            self.assertEqual(len(page.items), min(2, total - offset))
            paged.extend(group.id for group in page.items)
        self.assertEqual(paged, [group.id for group in first.items])
        beyond = self.assert_ok(self.groups.get_all_user_groups(offset=total, limit=2))
        self.assertEqual(beyond.items or [], [])
        self.assertFalse(beyond.more_items)

    def test_get_user_group_returns_the_group(self):
        made = self.make_group(description="Found by id")
        group = self.assert_ok(self.groups.get_user_group(made.id))
        self.assertEqual(group.id, made.id)
        self.assertEqual(group.name, made.name)
        self.assertEqual(group.description, "Found by id")

    def test_get_user_group_of_an_unknown_id_is_404(self):
        self.assert_error(404, self.groups.get_user_group, unknown_id())


class UpdateUserGroup(WavefrontTestCase):
    def test_update_user_group_replaces_name_description_and_roles(self):
        old_role, new_role = self.make_role(), self.make_role()
        group = self.make_group(role_ids=[old_role.id], description="before")
        name = unique("Renamed")
        updated = self.assert_ok(
            self.groups.update_user_group(
                group.id, body=wf.UserGroupWrite(name=name, role_ids=[new_role.id], description="after")
            )
        )
        self.assertEqual(updated.id, group.id)
        self.assertEqual(updated.name, name)
        self.assertEqual(updated.description, "after")
        self.assert_role_ids(updated.roles, new_role.id)
        fetched = self.assert_ok(self.groups.get_user_group(group.id))
        self.assertEqual((fetched.name, fetched.description), (name, "after"))
        self.assert_role_ids(fetched.roles, new_role.id)

    def test_update_user_group_of_an_unknown_id_is_404(self):
        self.assert_error(
            404, self.groups.update_user_group, unknown_id(), body=wf.UserGroupWrite(name=unique("x"), role_ids=[])
        )

    def test_update_user_group_rejects_a_name_that_is_taken(self):
        group, other = self.make_group(), self.make_group()
        self.assert_error(
            409, self.groups.update_user_group, group.id, body=wf.UserGroupWrite(name=other.name, role_ids=[])
        )


class GroupMembers(WavefrontTestCase):
    def test_add_and_remove_users(self):
        group = self.make_group()
        first, second = self.make_user(), self.make_user()
        added = self.assert_ok(self.groups.add_users_to_user_group(group.id, body=[first.identifier, second.identifier]))
        self.assertEqual(sorted(added.users), sorted([first.identifier, second.identifier]))
        self.assertEqual(added.user_count, 2)
        self.assert_group_names(self.users.get_user(first.identifier), group.name)
        removed = self.assert_ok(self.groups.remove_users_from_user_group(group.id, body=[first.identifier]))
        self.assertEqual(removed.users, [second.identifier])
        self.assertEqual(removed.user_count, 1)
        self.assert_group_names(self.users.get_user(first.identifier))
        self.assert_group_names(self.users.get_user(second.identifier), group.name)

    def test_adding_users_to_everyone_is_400(self):
        user = self.make_user()
        self.assert_error(400, self.groups.add_users_to_user_group, self.everyone().id, body=[user.identifier])

    def test_adding_an_unknown_user_is_400(self):
        group = self.make_group()
        self.assert_error(400, self.groups.add_users_to_user_group, group.id, body=["nobody-%s@example.com" % unknown_id()])
        self.assertEqual(self.assert_ok(self.groups.get_user_group(group.id)).users or [], [])

    def test_add_and_remove_roles(self):
        first, second = self.make_role(), self.make_role()
        group = self.make_group()
        added = self.assert_ok(self.groups.add_roles_to_user_group(group.id, body=[first.id, second.id]))
        self.assert_role_ids(added.roles, first.id, second.id)
        removed = self.assert_ok(self.groups.remove_roles_from_user_group(group.id, body=[first.id]))
        self.assert_role_ids(removed.roles, second.id)
        self.assert_role_ids(self.assert_ok(self.groups.get_user_group(group.id)).roles, second.id)

    def test_adding_an_unknown_role_is_400(self):
        group = self.make_group()
        self.assert_error(400, self.groups.add_roles_to_user_group, group.id, body=[unknown_id()])


class DeleteUserGroup(WavefrontTestCase):
    def test_delete_user_group_returns_the_deleted_group(self):
        group = self.make_group(description="doomed")
        user = self.make_user(user_groups=[group.id])
        deleted = self.assert_ok(self.groups.delete_user_group(group.id))
        self.assertEqual((deleted.id, deleted.name), (group.id, group.name))
        self.assert_error(404, self.groups.get_user_group, group.id)
        self.assert_group_names(self.users.get_user(user.identifier))

    def test_deleting_everyone_is_403(self):
        self.assert_error(403, self.groups.delete_user_group, self.everyone().id)
        self.assertEqual(self.everyone().name, "Everyone")

    def test_delete_user_group_of_an_unknown_id_is_404(self):
        self.assert_error(404, self.groups.delete_user_group, unknown_id())


if __name__ == "__main__":
    unittest.main()
