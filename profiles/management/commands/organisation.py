"""Onboard an organisation and its identity provider at run time, without a deploy.

manage.py organisation add SLUG --name NAME --domain D [--domain ...]
    [--oidc-issuer URL --client-id ID --client-secret SECRET
     | --saml-metadata-url URL | --saml-metadata-file PATH]
manage.py organisation show SLUG
manage.py organisation disable SLUG
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hub.errors import ActionError
from profiles import actions, selectors
from profiles.models import Organisation, OrganisationIdentityProvider


class Command(BaseCommand):
    help = "Add, show or disable an organisation and its identity provider (docs/sign-in.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add", help="Create an organisation, or update its sign-in.")
        add.add_argument("slug")
        add.add_argument("--name", required=True)
        add.add_argument("--kind", default=Organisation.Kind.OTHER, choices=Organisation.Kind)
        add.add_argument("--domain", action="append", default=[], required=True)
        add.add_argument("--oidc-issuer", default="")
        add.add_argument("--client-id", default="")
        add.add_argument("--client-secret", default="")
        add.add_argument("--saml-metadata-url", default="")
        add.add_argument("--saml-metadata-file", default="")
        add.add_argument(
            "--link-existing-accounts",
            action="store_true",
            help="Migration only: join a first federated sign-in to an existing local account "
            "of this organisation with the same verified email.",
        )
        for verb in ("show", "disable"):
            sub.add_parser(verb).add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"handle_{options['verb']}")(**options)
        except ActionError as error:
            raise CommandError(error.message) from error

    def _organisation(self, slug: str) -> Organisation:
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation has the slug “{slug}”.") from None

    @transaction.atomic
    def handle_add(self, **o: Any) -> None:
        chosen = [o["oidc_issuer"], o["saml_metadata_url"], o["saml_metadata_file"]]
        if sum(bool(c) for c in chosen) > 1:
            raise CommandError("Choose one identity provider: OIDC, SAML by URL or SAML by file.")
        organisation = Organisation.objects.filter(slug=o["slug"]).first()
        if organisation is None:
            organisation = actions.organisation_create(
                name=o["name"], slug=o["slug"], kind=o["kind"], domains=o["domain"]
            )
        else:
            for domain in o["domain"]:
                actions.organisation_add_domain(organisation=organisation, domain=domain)
        if o["oidc_issuer"]:
            link = actions.organisation_connect_oidc(
                organisation=organisation,
                issuer=o["oidc_issuer"],
                client_id=o["client_id"],
                client_secret=o["client_secret"],
            )
        elif o["saml_metadata_url"] or o["saml_metadata_file"]:
            xml = ""
            if o["saml_metadata_file"]:
                try:
                    xml = Path(o["saml_metadata_file"]).read_text()
                except OSError as error:
                    raise CommandError(f"Cannot read the metadata file: {error}") from error
            link = actions.organisation_connect_saml(
                organisation=organisation, metadata_url=o["saml_metadata_url"], metadata_xml=xml
            )
        else:
            link = None
        if link is not None and link.link_existing_accounts != o["link_existing_accounts"]:
            link.link_existing_accounts = o["link_existing_accounts"]
            link.save(update_fields=["link_existing_accounts"])
        self.stdout.write(f"Organisation {organisation.slug} ready.")
        self.handle_show(slug=organisation.slug)

    def handle_show(self, **o: Any) -> None:
        organisation = self._organisation(o["slug"])
        self.stdout.write(f"Name: {organisation.name}")
        self.stdout.write(f"Active: {'yes' if organisation.is_active else 'no'}")
        domains = ", ".join(organisation.domains.values_list("domain", flat=True))
        self.stdout.write(f"Domains: {domains}")
        try:
            link = organisation.identity_provider
        except OrganisationIdentityProvider.DoesNotExist:
            self.stdout.write("Sign-in: local accounts (no identity provider)")
            return
        self.stdout.write(f"Sign-in: {link.get_protocol_display()}")
        endpoints = selectors.identity_provider_endpoints(
            identity_provider=link, base_url=settings.HUB_BASE_URL
        )
        for label, value in endpoints.items():
            self.stdout.write(f"{label}: {value}")

    def handle_disable(self, **o: Any) -> None:
        organisation = actions.organisation_disable(organisation=self._organisation(o["slug"]))
        self.stdout.write(f"Organisation {organisation.slug} disabled: its staff cannot sign in.")
