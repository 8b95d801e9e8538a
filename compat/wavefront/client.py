"""The real Wavefront client pointed at the Roster under test, and what every test case shares.

`run` passes the server by environment: WAVEFRONT_BASE_URL, WAVEFRONT_API_KEY (a write key) and
WAVEFRONT_CUSTOMER (the tenant's slug, which Roster reports as `customer`).
"""

import json
import os
import unittest
import uuid

import wavefront_api_client as wf
from wavefront_api_client.rest import ApiException

BASE_URL = os.environ["WAVEFRONT_BASE_URL"]
API_KEY = os.environ["WAVEFRONT_API_KEY"]
CUSTOMER = os.environ["WAVEFRONT_CUSTOMER"]


def _configuration():
    cfg = wf.Configuration()
    cfg.host = BASE_URL
    return cfg


def api_client(key=API_KEY, prefix=None):
    """A client that sends `X-AUTH-TOKEN: [prefix ]key`, as documented (no header when key is None)."""
    cfg = _configuration()
    if key is not None:
        cfg.api_key["X-AUTH-TOKEN"] = key
    if prefix is not None:
        cfg.api_key_prefix["X-AUTH-TOKEN"] = prefix
    return wf.ApiClient(cfg)


def bearer_client(key=API_KEY):
    """A client that sends `Authorization: Bearer key` and no X-AUTH-TOKEN."""
    return wf.ApiClient(_configuration(), header_name="Authorization", header_value="Bearer " + key)


def unique(tag):
    """A name no other test uses."""
    return "%s-%s" % (tag, uuid.uuid4().hex[:12])


def unique_email(tag="user"):
    return "%s@example.com" % unique(tag)


def unknown_id():
    """A well-formed id (24 hex digits) that names nothing."""
    return uuid.uuid4().hex[:24]


def summary(user):
    """What a UserModel says about the user itself, without the counts of its groups and roles,
    which move when other users change."""
    return {
        "identifier": user.identifier,
        "customer": user.customer,
        "groups": user.groups,
        "user_groups": [group.id for group in user.user_groups],
        "roles": sorted(role.id for role in user.roles or []),
        "sso_id": user.sso_id,
    }


def error_body(error):
    """The decoded body of an ApiException."""
    body = error.body.decode() if isinstance(error.body, bytes) else error.body
    return json.loads(body)


class WavefrontTestCase(unittest.TestCase):
    """Gives each test the three APIs, makers of users, groups and roles that clean up after the
    test, and assertions for Wavefront's envelopes."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.client = api_client()
        cls.users = wf.UserApi(cls.client)
        cls.groups = wf.UserGroupApi(cls.client)
        cls.roles = wf.RoleApi(cls.client)

    # --- makers -----------------------------------------------------------------------------

    def make_user(self, groups=(), user_groups=(), roles=(), tag="user"):
        """Creates a user (a UserModel) and deletes it after the test."""
        email = unique_email(tag)
        user = self.users.create_user(
            body=wf.UserToCreate(
                email_address=email, groups=list(groups), user_groups=list(user_groups), roles=list(roles)
            )
        )
        self.forget_user_later(email)
        return user

    def forget_user_later(self, email):
        self.addCleanup(self._ignore_not_found, self.users.delete_user, email)

    def make_group(self, role_ids=(), description=None, name=None):
        """Creates a user group (a UserGroupModel) and deletes it after the test."""
        container = self.groups.create_user_group(
            body=wf.UserGroupWrite(name=name or unique("group"), role_ids=list(role_ids), description=description)
        )
        group = self.assert_ok(container)
        self.addCleanup(self._ignore_not_found, self.groups.delete_user_group, group.id)
        return group

    def make_role(self, permissions=(), description=None, name=None):
        """Creates a role (a RoleDTO) and deletes it after the test."""
        container = self.roles.create_role(
            wf.RoleCreateDTO(name=name or unique("role"), description=description, permissions=list(permissions))
        )
        role = self.assert_ok(container)
        self.addCleanup(self._ignore_not_found, self.roles.delete_role, role.id)
        return role

    @staticmethod
    def _ignore_not_found(call, *args):
        try:
            call(*args)
        except ApiException as error:
            if error.status != 404:
                raise

    # --- lookups ----------------------------------------------------------------------------

    def all_groups(self):
        """Every user group of the tenant, page by page."""
        groups = []
        while True:
            page = self.assert_ok(self.groups.get_all_user_groups(offset=len(groups), limit=100))
            groups.extend(page.items)
            if not page.more_items or not page.items:
                return groups

    def system_group(self, name):
        matches = [group for group in self.all_groups() if group.name == name]
        self.assertEqual(len(matches), 1, "exactly one system group %r" % name)
        return matches[0]

    def everyone(self):
        return self.system_group("Everyone")

    def assert_user_absent(self, email):
        self.assert_error(404, self.users.get_user, email)

    # --- assertions -------------------------------------------------------------------------

    def assert_ok(self, container):
        """A ResponseContainer with an OK status and code 200; returns its `response`."""
        self.assertEqual(container.status.result, "OK", container.status)
        self.assertEqual(container.status.code, 200, container.status)
        return container.response

    def assert_error(self, status, call, *args, **kwargs):
        """The call fails with this HTTP status and Wavefront's error envelope; returns its message."""
        with self.assertRaises(ApiException) as raised:
            call(*args, **kwargs)
        error = raised.exception
        self.assertEqual(error.status, status, "expected %d, got %s: %s" % (status, error.status, error.body))
        body = error_body(error)
        self.assertEqual(body["status"]["result"], "ERROR", body)
        self.assertEqual(body["status"]["code"], status, body)
        message = body["status"]["message"]
        self.assertIsInstance(message, str, body)
        self.assertTrue(message, body)
        return message

    def assert_group_names(self, user, *names):
        """The user's groups are exactly Everyone and then these, by name."""
        self.assertEqual([group.name for group in user.user_groups], ["Everyone"] + sorted(names))

    def assert_role_ids(self, roles, *role_ids):
        self.assertEqual(sorted(role.id for role in roles or []), sorted(role_ids))
