enum _WarmIdentityServer {}
import Hummingbird
import Mustache
