"""Every operation of the real client's UserApi against Roster, and the ways to authenticate."""

import json
import unittest

import wavefront_api_client as wf

from client import (
    API_KEY,
    CUSTOMER,
    WavefrontTestCase,
    api_client,
    bearer_client,
    unique,
    unique_email,
    summary,
    unknown_id,
)


class Authentication(WavefrontTestCase):
    def test_x_auth_token_with_the_key_is_accepted(self):
        user = self.make_user()
        self.assertEqual(wf.UserApi(api_client()).get_user(user.identifier).identifier, user.identifier)

    def test_x_auth_token_with_a_bearer_prefix_is_accepted(self):
        user = self.make_user()
        users = wf.UserApi(api_client(prefix="Bearer"))
        self.assertEqual(users.get_user(user.identifier).identifier, user.identifier)

    def test_authorization_bearer_header_is_accepted(self):
        user = self.make_user()
        users = wf.UserApi(bearer_client())
        self.assertEqual(users.get_user(user.identifier).identifier, user.identifier)

    def test_a_missing_key_is_401(self):
        self.assert_error(401, wf.UserApi(api_client(key=None)).get_all_users)

    def test_a_wrong_key_is_401(self):
        self.assert_error(401, wf.UserApi(api_client(key=API_KEY + "x")).get_all_users)
        self.assert_error(401, wf.UserApi(bearer_client(key="rst_not_a_key")).get_all_users)


class CreateUser(WavefrontTestCase):
    def test_create_user_returns_the_user_model(self):
        group = self.make_group()
        role = self.make_role(permissions=["events_management"])
        email = unique_email()
        user = self.users.create_user(
            body=wf.UserToCreate(
                email_address=email,
                groups=["dashboard_management", "alerts_management"],
                user_groups=[group.id],
                roles=[role.id],
            )
        )
        self.forget_user_later(email)
        self.assertEqual(user.identifier, email)
        self.assertEqual(user.customer, CUSTOMER)
        self.assertEqual(user.groups, ["alerts_management", "dashboard_management"])
        self.assert_group_names(user, group.name)
        self.assertEqual(user.user_groups[0].id, self.everyone().id)
        self.assertEqual(user.user_groups[1].id, group.id)
        self.assert_role_ids(user.roles, role.id)
        self.assertEqual(user.roles[0].name, role.name)
        self.assertIsNone(user.sso_id)
        self.assertIsNone(user.last_successful_login)
        self.assertEqual(summary(self.users.get_user(email)), summary(user))

    def test_create_user_accepts_send_email_true_and_false(self):
        # The client sends Python's spelling of a bool in the query: sendEmail=True, sendEmail=False.
        for send_email in (True, False):
            email = unique_email()
            user = self.users.create_user(
                body=wf.UserToCreate(email_address=email, groups=[], user_groups=[]), send_email=send_email
            )
            self.forget_user_later(email)
            self.assertEqual(user.identifier, email)
            self.assertEqual(user.groups, [])
            self.assert_group_names(user)
            self.assertEqual(user.roles or [], [])

    def test_create_user_lists_everyone_first_then_the_given_groups_by_name(self):
        tag = unique("g")
        bravo = self.make_group(name="Bravo " + tag)
        alpha = self.make_group(name="Alpha " + tag)
        user = self.make_user(user_groups=[bravo.id, alpha.id])
        self.assertEqual([g.name for g in user.user_groups], ["Everyone", alpha.name, bravo.name])
        self.assertNotIn("Service Accounts", [g.name for g in user.user_groups])

    def test_create_user_rejects_a_duplicate_email(self):
        user = self.make_user()
        self.assert_error(
            409,
            self.users.create_user,
            body=wf.UserToCreate(email_address=user.identifier, groups=[], user_groups=[]),
        )

    def test_create_user_rejects_an_invalid_email(self):
        self.assert_error(
            400, self.users.create_user, body=wf.UserToCreate(email_address="not-an-email", groups=[], user_groups=[])
        )

    def test_create_user_rejects_an_unknown_permission(self):
        email = unique_email()
        self.assert_error(
            400,
            self.users.create_user,
            body=wf.UserToCreate(email_address=email, groups=["no_such_permission"], user_groups=[]),
        )
        self.assert_user_absent(email)

    def test_create_user_rejects_an_unknown_group(self):
        email, missing = unique_email(), unknown_id()
        self.assert_error(
            400,
            self.users.create_user,
            body=wf.UserToCreate(email_address=email, groups=[], user_groups=[missing]),
        )
        self.assert_user_absent(email)

    def test_create_user_rejects_an_unknown_role(self):
        email, missing = unique_email(), unknown_id()
        self.assert_error(
            400,
            self.users.create_user,
            body=wf.UserToCreate(email_address=email, groups=[], user_groups=[], roles=[missing]),
        )
        self.assert_user_absent(email)


class InviteUsers(WavefrontTestCase):
    def test_invite_users_creates_all_and_returns_the_first(self):
        group = self.make_group()
        first, second = unique_email("first"), unique_email("second")
        self.forget_user_later(first)
        self.forget_user_later(second)
        user = self.users.invite_users(
            body=[
                wf.UserToCreate(email_address=first, groups=["alerts_management"], user_groups=[group.id]),
                wf.UserToCreate(email_address=second, groups=[], user_groups=[]),
            ]
        )
        self.assertEqual(user.identifier, first)
        self.assertEqual(user.groups, ["alerts_management"])
        self.assert_group_names(user, group.name)
        self.assertEqual(self.users.get_user(second).identifier, second)

    def test_invite_users_creates_none_when_one_entry_is_bad(self):
        first = unique_email("first")
        self.forget_user_later(first)
        self.assert_error(
            400,
            self.users.invite_users,
            body=[
                wf.UserToCreate(email_address=first, groups=[], user_groups=[]),
                wf.UserToCreate(email_address=unique_email("second"), groups=["no_such_permission"], user_groups=[]),
            ],
        )
        self.assert_user_absent(first)


class ReadUsers(WavefrontTestCase):
    def test_get_all_users_lists_every_user_by_identifier(self):
        made = {self.make_user().identifier, self.make_user().identifier}
        users = self.users.get_all_users()
        identifiers = [user.identifier for user in users]
        self.assertTrue(made <= set(identifiers), identifiers)
        self.assertEqual(identifiers, sorted(identifiers))
        self.assertEqual({user.customer for user in users}, {CUSTOMER})

    def test_get_user_returns_the_user(self):
        made = self.make_user(groups=["ingestion"])
        self.assertEqual(summary(self.users.get_user(made.identifier)), summary(made))

    def test_get_user_of_an_unknown_email_is_404(self):
        self.assert_error(404, self.users.get_user, unique_email("nobody"))

    def test_user_paths_take_percent_encoded_emails(self):
        email = "first.last+%s@example.com" % unique("tag")
        self.users.create_user(body=wf.UserToCreate(email_address=email, groups=[], user_groups=[]))
        self.forget_user_later(email)
        self.assertEqual(self.users.get_user(email).identifier, email)

    def test_get_user_business_functions_returns_the_user(self):
        made = self.make_user(groups=["ingestion"])
        user = self.users.get_user_business_functions(made.identifier)
        self.assertEqual(user.identifier, made.identifier)
        self.assertEqual(user.customer, CUSTOMER)
        self.assertEqual(user.groups, ["ingestion"])

    def test_get_user_business_functions_of_an_unknown_email_is_404(self):
        self.assert_error(404, self.users.get_user_business_functions, unique_email("nobody"))


class UpdateUser(WavefrontTestCase):
    def setUp(self):
        self.group = self.make_group()
        self.role = self.make_role(permissions=["log_management"])
        self.user = self.make_user(groups=["alerts_management"], user_groups=[self.group.id], roles=[self.role.id])

    def assert_unchanged(self):
        self.assertEqual(summary(self.users.get_user(self.user.identifier)), summary(self.user))

    def update(self, **fields):
        return self.users.update_user(self.user.identifier, body=wf.UserRequestDTO(**fields))

    def test_update_user_leaves_absent_fields_untouched(self):
        updated = self.update(sso_id="sso-ada")
        self.assertEqual(updated.sso_id, "sso-ada")
        self.assertEqual(updated.identifier, self.user.identifier)
        self.assertEqual(updated.groups, ["alerts_management"])
        self.assert_group_names(updated, self.group.name)
        self.assert_role_ids(updated.roles, self.role.id)
        self.assertEqual(summary(self.users.get_user(self.user.identifier)), summary(updated))

    def test_update_user_changes_the_email(self):
        new_email = unique_email("renamed")
        self.forget_user_later(new_email)
        updated = self.update(identifier=new_email)
        self.assertEqual(updated.identifier, new_email)
        self.assertEqual(updated.groups, ["alerts_management"])
        self.assert_user_absent(self.user.identifier)
        self.assertEqual(summary(self.users.get_user(new_email)), summary(updated))

    def test_update_user_rejects_an_email_that_is_taken(self):
        other = self.make_user()
        self.assert_error(409, self.update, identifier=other.identifier)
        self.assert_unchanged()

    def test_update_user_rejects_an_invalid_email(self):
        self.assert_error(400, self.update, identifier="not-an-email")
        self.assert_unchanged()

    def test_update_user_replaces_the_direct_permissions(self):
        updated = self.update(groups=["user_management", "embedded_charts"])
        self.assertEqual(updated.groups, ["embedded_charts", "user_management"])
        self.assertEqual(self.update(groups=[]).groups, [])

    def test_update_user_replaces_the_group_memberships(self):
        other = self.make_group()
        updated = self.update(user_groups=[other.id])
        self.assert_group_names(updated, other.name)
        self.assert_group_names(self.update(user_groups=[]))

    def test_update_user_accepts_and_ignores_everyone_among_the_groups(self):
        updated = self.update(user_groups=[self.everyone().id, self.group.id])
        self.assert_group_names(updated, self.group.name)

    def test_update_user_replaces_the_roles(self):
        other = self.make_role()
        self.assert_role_ids(self.update(roles=[other.id]).roles, other.id)
        self.assert_role_ids(self.update(roles=[]).roles)

    def test_update_user_sets_the_sso_id(self):
        self.assertEqual(self.update(sso_id="okta|42").sso_id, "okta|42")
        self.assertEqual(self.users.get_user(self.user.identifier).sso_id, "okta|42")

    def test_update_user_accepts_a_credential_and_never_returns_it(self):
        secret = "s3cret-" + unique("pw")
        updated = self.update(credential=secret)
        self.assertEqual(updated.identifier, self.user.identifier)
        for response in (
            self.users.update_user(self.user.identifier, body=wf.UserRequestDTO(credential=secret), _preload_content=False),
            self.users.get_user(self.user.identifier, _preload_content=False),
        ):
            raw = response.data.decode()
            self.assertNotIn(secret, raw)
            self.assertNotIn("credential", json.loads(raw))

    def test_update_user_accepts_its_own_customer(self):
        self.assertEqual(self.update(customer=CUSTOMER, sso_id="same-customer").sso_id, "same-customer")

    def test_update_user_rejects_another_customer_and_changes_nothing(self):
        self.assert_error(400, self.update, customer="someone-else", groups=["ingestion"], sso_id="x")
        self.assert_unchanged()

    def test_update_user_rejects_an_unknown_permission_naming_it(self):
        message = self.assert_error(400, self.update, groups=["ingestion", "no_such_permission"], sso_id="x")
        self.assertIn("no_such_permission", message)
        self.assert_unchanged()

    def test_update_user_rejects_an_unknown_group_naming_it(self):
        missing = unknown_id()
        message = self.assert_error(400, self.update, user_groups=[missing], sso_id="x")
        self.assertIn(missing, message)
        self.assert_unchanged()

    def test_update_user_rejects_an_unknown_role_naming_it(self):
        missing = unknown_id()
        message = self.assert_error(400, self.update, roles=[missing], sso_id="x")
        self.assertIn(missing, message)
        self.assert_unchanged()

    def test_update_user_names_every_unknown_reference_at_once(self):
        group_id, role_id = unknown_id(), unknown_id()
        message = self.assert_error(
            400, self.update, groups=["no_such_permission"], user_groups=[group_id], roles=[role_id]
        )
        for named in ("no_such_permission", group_id, role_id):
            self.assertIn(named, message)
        self.assert_unchanged()

    def test_update_user_with_an_empty_body_changes_nothing(self):
        self.assertEqual(summary(self.update()), summary(self.user))
        self.assert_unchanged()

    def test_update_user_of_an_unknown_email_is_404(self):
        self.assert_error(404, self.users.update_user, unique_email("nobody"), body=wf.UserRequestDTO(sso_id="x"))

    def test_update_user_ignores_unknown_json_fields(self):
        updated = self.client.call_api(
            "/api/v2/user/{id}",
            "PUT",
            path_params={"id": self.user.identifier},
            header_params={"Accept": "application/json", "Content-Type": "application/json"},
            body={"ssoId": "with-extra", "ingestionPolicy": "p-1", "somethingNew": {"nested": [1, 2]}},
            response_type="UserModel",
            auth_settings=["api_key"],
            _return_http_data_only=True,
        )
        self.assertEqual(updated.sso_id, "with-extra")
        self.assertEqual(updated.groups, ["alerts_management"])


class DeleteUsers(WavefrontTestCase):
    def test_delete_user_removes_the_user(self):
        user = self.make_user()
        self.assertIsNone(self.users.delete_user(user.identifier))
        self.assert_user_absent(user.identifier)

    def test_delete_user_of_an_unknown_email_is_404(self):
        self.assert_error(404, self.users.delete_user, unique_email("nobody"))

    def test_delete_multiple_users_returns_the_deleted_emails(self):
        emails = [self.make_user().identifier, self.make_user().identifier]
        container = self.users.delete_multiple_users(body=emails)
        self.assertEqual(container.status.result, "OK")
        self.assertEqual(sorted(container.response), sorted(emails))
        for email in emails:
            self.assert_user_absent(email)

    def test_delete_multiple_users_deletes_none_when_one_is_unknown(self):
        user = self.make_user()
        self.assert_error(400, self.users.delete_multiple_users, body=[user.identifier, unique_email("nobody")])
        self.assertEqual(self.users.get_user(user.identifier).identifier, user.identifier)


class Permissions(WavefrontTestCase):
    def test_grant_and_revoke_user_permission(self):
        user = self.make_user(groups=["ingestion"])
        granted = self.users.grant_user_permission(user.identifier, group="alerts_management")
        self.assertEqual(granted.identifier, user.identifier)
        self.assertEqual(granted.groups, ["alerts_management", "ingestion"])
        self.assertEqual(self.users.get_user(user.identifier).groups, ["alerts_management", "ingestion"])
        revoked = self.users.revoke_user_permission(user.identifier, group="alerts_management")
        self.assertEqual(revoked.groups, ["ingestion"])
        self.assertEqual(self.users.get_user(user.identifier).groups, ["ingestion"])

    def test_grant_user_permission_rejects_an_unknown_permission(self):
        user = self.make_user()
        self.assert_error(400, self.users.grant_user_permission, user.identifier, group="no_such_permission")
        self.assert_error(400, self.users.revoke_user_permission, user.identifier, group="no_such_permission")
        self.assertEqual(self.users.get_user(user.identifier).groups, [])

    def test_grant_user_permission_of_an_unknown_email_is_404(self):
        self.assert_error(404, self.users.grant_user_permission, unique_email("nobody"), group="alerts_management")

    def test_grant_and_revoke_permission_for_several_users(self):
        first, second = self.make_user(), self.make_user(groups=["ingestion"])
        emails = [first.identifier, second.identifier]
        granted = self.users.grant_permission_to_users("alerts_management", body=emails)
        self.assertEqual(granted.identifier, first.identifier)
        self.assertEqual(granted.groups, ["alerts_management"])
        self.assertEqual(self.users.get_user(second.identifier).groups, ["alerts_management", "ingestion"])
        revoked = self.users.revoke_permission_from_users("alerts_management", body=emails)
        self.assertEqual(revoked.identifier, first.identifier)
        self.assertEqual(revoked.groups, [])
        self.assertEqual(self.users.get_user(second.identifier).groups, ["ingestion"])


class Memberships(WavefrontTestCase):
    def test_add_and_remove_user_groups(self):
        one, two = self.make_group(), self.make_group()
        user = self.make_user()
        added = self.users.add_user_to_user_groups(user.identifier, body=[one.id, two.id])
        self.assert_group_names(added, one.name, two.name)
        removed = self.users.remove_user_from_user_groups(user.identifier, body=[one.id])
        self.assert_group_names(removed, two.name)
        self.assert_group_names(self.users.get_user(user.identifier), two.name)

    def test_add_user_to_an_unknown_group_is_400(self):
        user = self.make_user()
        self.assert_error(400, self.users.add_user_to_user_groups, user.identifier, body=[unknown_id()])
        self.assert_group_names(self.users.get_user(user.identifier))

    def test_remove_user_from_everyone_is_400(self):
        user = self.make_user()
        self.assert_error(400, self.users.remove_user_from_user_groups, user.identifier, body=[self.everyone().id])
        self.assert_group_names(self.users.get_user(user.identifier))


class ValidateUsers(WavefrontTestCase):
    def test_validate_users_splits_existing_from_the_rest(self):
        first, second = self.make_user(groups=["ingestion"]), self.make_user()
        unknown, malformed = unique_email("nobody"), "not an email"
        container = self.users.validate_users(body=[first.identifier, unknown, second.identifier, malformed])
        self.assertEqual(container.status.result, "OK")
        validated = container.response
        self.assertEqual(
            sorted(user.identifier for user in validated.valid_users), sorted([first.identifier, second.identifier])
        )
        self.assertEqual(sorted(validated.invalid_identifiers), sorted([unknown, malformed]))
        valid_first = [user for user in validated.valid_users if user.identifier == first.identifier][0]
        self.assertEqual(valid_first.groups, ["ingestion"])


if __name__ == "__main__":
    unittest.main()
