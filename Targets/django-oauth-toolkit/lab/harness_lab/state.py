"""The harness's side of the lab: what the suite's adapter (Sources/ScenarioKit/
DjangoOAuthToolkitAdapter.swift) configured, applied to the toolkit's own tables.

The adapter writes one JSON file, harness-state.json in the lab directory (atomically,
by rename), holding the applications and users of the scenario that runs now:

    {"applications": {"<client_id>": {"name", "client_type", "client_secret", "grant_type",
                                      "redirect_uris", "algorithm", "skip_authorization",
                                      "pkce_required", "claims", "stamp"}},
     "users": {"<username>": {"password", "email", "claims", "stamp"}}}

Each entry carries a stamp that is new every time the adapter adds it: an application
removed after one scenario and added again by the next, before any request came in
between, still differs from the old entry and is made anew (its tokens gone).

Before each request this middleware compares the file with what it last applied and
brings the database to match in one transaction: applications and users that left the
file are deleted (with their grants and tokens, by the toolkit's cascades), new or
changed ones are (re)created through the toolkit's and Django's own models, so secrets
are hashed and validated as in any deployment. The file, not the database, is the
source of truth, as SimpleSAMLphp's lab does it, so the adapter needs no API of ours
inside the provider under test, only a file it can write.
"""
import hashlib
import json
import os
import threading
from pathlib import Path

STATE_FILE = Path(os.environ["IH_DOT_LAB"]) / "harness-state.json"

_lock = threading.Lock()
_applied = {"digest": None, "applications": {}, "users": {}}


def current():
    """The state last applied: the validator reads users' claims and clients' released
    claims from it."""
    return _applied


def pkce_required(client_id):
    """PKCE_REQUIRED as a callable: the toolkit asks per client."""
    _sync()
    application = _applied["applications"].get(client_id)
    return bool(application and application.get("pkce_required"))


def _read():
    data = STATE_FILE.read_bytes() if STATE_FILE.exists() else b'{"applications": {}, "users": {}}'
    return data, hashlib.sha256(data).hexdigest()


def _sync():
    _, digest = _read()
    if digest == _applied["digest"]:
        return
    with _lock:
        # Read again under the lock: a thread holding an older read must not roll the
        # database back after another applied a newer file.
        data, digest = _read()
        if digest == _applied["digest"]:
            return
        state = json.loads(data)
        _apply(state.get("applications", {}), state.get("users", {}))
        _applied.update(digest=digest, applications=state.get("applications", {}), users=state.get("users", {}))


def _apply(applications, users):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    User = get_user_model()
    first = _applied["digest"] is None
    with transaction.atomic():
        # On the first request of a process everything is taken from the file (the lab
        # starts with an empty database, but a restarted server must not trust it). An
        # entry that changed (a new stamp) is deleted with its grants and tokens, then made anew.
        for client_id in list(Application.objects.values_list("client_id", flat=True)):
            if first or applications.get(client_id) != _applied["applications"].get(client_id):
                Application.objects.filter(client_id=client_id).delete()
        for username in list(User.objects.values_list("username", flat=True)):
            if first or users.get(username) != _applied["users"].get(username):
                User.objects.filter(username=username).delete()
        for username, user in users.items():
            if not User.objects.filter(username=username).exists():
                User.objects.create_user(username, user.get("email") or "", user["password"])
        for client_id, app in applications.items():
            if Application.objects.filter(client_id=client_id).exists():
                continue
            Application.objects.create(
                client_id=client_id,
                name=app["name"],
                client_type=app["client_type"],
                client_secret=app.get("client_secret") or "",
                authorization_grant_type=app["grant_type"],
                redirect_uris=" ".join(app["redirect_uris"]),
                post_logout_redirect_uris=" ".join(app.get("post_logout_redirect_uris", [])),
                algorithm=app["algorithm"],
                skip_authorization=app["skip_authorization"],
            )


class StateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _sync()
        return self.get_response(request)
