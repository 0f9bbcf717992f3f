"""The corpus: real projects that ship their migrations on PyPI, as scratch Django projects.

Each project names its environment (a requirements file beside this module), the installed packages whose source
is copied into the scratch project (so app module paths are the real ones), the apps Django loads, and any paths
migrate-assistant is told to leave out (test and template apps that these settings do not install).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTRIB_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]


@dataclass(frozen=True)
class CorpusProject:
    """One scratch project: ``packages`` are copied from the environment's site-packages into its root."""

    name: str
    env: str
    packages: tuple[str, ...]
    installed_apps: list[str]
    exclude: tuple[str, ...] = ()
    auth_user_model: str = "auth.User"
    settings_extra: str = ""
    middleware: tuple[str, ...] = ()
    settings_base: str = ""  # a settings module whose names the minimal settings start from
    notes: str = ""  # shown by ``run.py --list``


PROJECTS: dict[str, CorpusProject] = {
    project.name: project
    for project in (
        CorpusProject(
            name="contrib",
            env="main",
            packages=("django",),
            installed_apps=[
                *CONTRIB_APPS,
                "django.contrib.sites",
                "django.contrib.flatpages",
                "django.contrib.redirects",
            ],
            notes="Django's own contrib apps (the whole django package is copied: it is one import package)",
        ),
        CorpusProject(
            name="wagtail",
            env="main",
            packages=("wagtail",),
            installed_apps=[
                "wagtail.contrib.forms",
                "wagtail.contrib.redirects",
                "wagtail.contrib.search_promotions",
                "wagtail.contrib.simple_translation",
                "wagtail.contrib.settings",
                "wagtail.embeds",
                "wagtail.sites",
                "wagtail.users",
                "wagtail.snippets",
                "wagtail.documents",
                "wagtail.images",
                "wagtail.search",
                "wagtail.locales",
                "wagtail.admin",
                "wagtail",
                "modelsearch",
                "modelcluster",
                "taggit",
                *CONTRIB_APPS,
            ],
            exclude=("wagtail/test", "wagtail/project_template"),
            settings_extra='WAGTAIL_SITE_NAME = "corpus"\nWAGTAILADMIN_BASE_URL = "http://localhost"\n',
            notes="wagtail/test and wagtail/project_template hold apps these settings do not install",
        ),
        CorpusProject(
            name="oscar",
            env="main",
            packages=("oscar",),
            installed_apps=[
                *CONTRIB_APPS,
                "django.contrib.sites",
                "django.contrib.flatpages",
                "oscar.config.Shop",
                "oscar.apps.analytics.apps.AnalyticsConfig",
                "oscar.apps.checkout.apps.CheckoutConfig",
                "oscar.apps.address.apps.AddressConfig",
                "oscar.apps.shipping.apps.ShippingConfig",
                "oscar.apps.catalogue.apps.CatalogueConfig",
                "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
                "oscar.apps.communication.apps.CommunicationConfig",
                "oscar.apps.partner.apps.PartnerConfig",
                "oscar.apps.basket.apps.BasketConfig",
                "oscar.apps.payment.apps.PaymentConfig",
                "oscar.apps.offer.apps.OfferConfig",
                "oscar.apps.order.apps.OrderConfig",
                "oscar.apps.customer.apps.CustomerConfig",
                "oscar.apps.search.apps.SearchConfig",
                "oscar.apps.voucher.apps.VoucherConfig",
                "oscar.apps.wishlists.apps.WishlistsConfig",
                "oscar.apps.dashboard.apps.DashboardConfig",
                "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
                "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
                "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
                "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
                "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
                "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
                "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
                "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
                "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
                "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
                "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
                "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
                "widget_tweaks",
                "haystack",
                "treebeard",
                "django_tables2",
            ],
            settings_base="oscar.defaults",
            notes="django-oscar (its models.py files define every model under a module-level `if`)",
            settings_extra=(
                'HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}\n'
                "SITE_ID = 1\n"
            ),
        ),
        CorpusProject(
            name="cms",
            env="main",
            packages=("cms", "menus", "filer"),
            installed_apps=[
                *CONTRIB_APPS,
                "django.contrib.sites",
                "cms",
                "menus",
                "treebeard",
                "sekizai",
                "filer",
                "easy_thumbnails",
            ],
            exclude=("cms/test_utils",),
            settings_extra='SITE_ID = 1\nCMS_TEMPLATES = [("base.html", "Base")]\nLANGUAGES = [("en", "English")]\n',
            notes="django-cms with django-filer",
        ),
        CorpusProject(
            name="allauth",
            env="main",
            packages=("allauth", "django_celery_beat"),
            installed_apps=[
                *CONTRIB_APPS,
                "django.contrib.sites",
                "allauth",
                "allauth.account",
                "allauth.socialaccount",
                "allauth.socialaccount.providers.openid",
                "allauth.mfa",
                "allauth.usersessions",
                "allauth.idp.oidc",
                "django_celery_beat",
            ],
            settings_extra="SITE_ID = 1\n",
            middleware=("allauth.account.middleware.AccountMiddleware",),
            notes="django-allauth (with its one provider app that has migrations, openid) and django-celery-beat",
        ),
        CorpusProject(
            name="libs",
            env="main",
            packages=("taggit", "easy_thumbnails", "modelsearch", "rest_framework"),
            installed_apps=[
                *CONTRIB_APPS,
                "taggit",
                "easy_thumbnails",
                "modelsearch",
                "rest_framework",
                "rest_framework.authtoken",
            ],
            exclude=("modelsearch/test",),
            notes="libraries the big projects depend on: django-taggit, easy-thumbnails, modelsearch, DRF's authtoken",
        ),
        CorpusProject(
            name="otp-oauth",
            env="pretix",
            packages=("oauth2_provider", "django_otp"),
            installed_apps=[
                *CONTRIB_APPS,
                "oauth2_provider",
                "django_otp",
                "django_otp.plugins.otp_email",
                "django_otp.plugins.otp_hotp",
                "django_otp.plugins.otp_totp",
                "django_otp.plugins.otp_static",
            ],
            notes="django-oauth-toolkit (swappable models) and django-otp's plugins, from pretix's environment",
        ),
        CorpusProject(
            name="pretix",
            env="pretix",
            packages=("pretix",),
            installed_apps=[
                "django.contrib.auth",
                "django.contrib.contenttypes",
                "django.contrib.sessions",
                "django.contrib.messages",
                "django.contrib.humanize",
                "pretix.base",
                "django.contrib.staticfiles",
                "pretix.control",
                "pretix.presale",
                "pretix.multidomain",
                "pretix.api",
                "pretix.helpers",
                "rest_framework",
                "djangoformsetjs",
                "compressor",
                "bootstrap3",
                "pretix.plugins.banktransfer",
                "pretix.plugins.stripe",
                "pretix.plugins.paypal",
                "pretix.plugins.paypal2",
                "pretix.plugins.ticketoutputpdf",
                "pretix.plugins.sendmail",
                "pretix.plugins.statistics",
                "pretix.plugins.reports",
                "pretix.plugins.checkinlists",
                "pretix.plugins.pretixdroid",
                "pretix.plugins.badges",
                "pretix.plugins.manualpayment",
                "pretix.plugins.returnurl",
                "pretix.plugins.autocheckin",
                "pretix.plugins.webcheckin",
                "django_countries",
                "oauth2_provider",
                "phonenumber_field",
                "statici18n",
                "django.forms",
                "django_querytagger",
                "django_filters",
                "django_markup",
                "django_otp",
                "django_otp.plugins.otp_totp",
                "django_otp.plugins.otp_static",
                "hijack",
                "localflavor",
            ],
            auth_user_model="pretixbase.User",
            settings_base="pretix.settings",
            notes="pretix's own settings, with INSTALLED_APPS and AUTH_USER_MODEL stated literally",
        ),
    )
}
