"""The toolkit's endpoints under /o/ (so the issuer is http://127.0.0.1:<port>/o) and
Django's login view, which the toolkit's authorization view sends people to."""
from django.contrib.auth import views as auth
from django.urls import include, path

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", auth.LoginView.as_view()),
]
