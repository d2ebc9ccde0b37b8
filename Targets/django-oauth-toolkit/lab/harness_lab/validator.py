"""The toolkit's documented hook for claims (OAuth2Validator.get_additional_claims),
filled from the harness state: a deployment decides which claims its users have and
which a client may receive; the toolkit then releases those of them that the granted
scopes cover (its oidc_claim_scope table, OpenID Connect Core §5.4), in the ID token and
at userinfo."""
from oauth2_provider.oauth2_validators import OAuth2Validator

from harness_lab import state


class LabValidator(OAuth2Validator):
    def get_additional_claims(self, request):
        current = state.current()
        user = current["users"].get(request.user.get_username(), {})
        application = current["applications"].get(request.client.client_id if request.client else "", {})
        released = set(application.get("claims", []))
        claims = {name: value for name, value in user.get("claims", {}).items() if name in released}
        # The address claim is an object (OpenID Connect Core §5.1.1): the client gets the
        # members it may have ("address.locality"), and the claim only if one is left.
        address = {k: v for k, v in user.get("claims", {}).get("address", {}).items() if "address." + k in released}
        if address:
            claims["address"] = address
        # The subject is the username, as the reference server's default subject claim
        # makes it (the toolkit's default is the database key, which means nothing to a
        # scenario). OpenID Connect only asks that it be unique and never reassigned.
        claims["sub"] = request.user.get_username()
        return claims
