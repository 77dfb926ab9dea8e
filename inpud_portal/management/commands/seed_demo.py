from django.conf import settings
from django.core.management.base import BaseCommand

from governance.demo import demo_seed_governance
from members import demo_data
from members.demo import demo_seed
from members.demo_register import demo_seed_register
from network.demo import demo_seed_network
from pages.demo import demo_seed_pages
from publications.demo import demo_seed_publications


class Command(BaseCommand):
    help = "Load the regions and member networks of INPUD and demo records (idempotent)."

    def handle(self, *args, **options):
        # A known password is only safe on a developer's machine.
        password = demo_data.DEMO_PASSWORD if settings.DEBUG else None
        logins = demo_seed(password=password)
        trustee_keys = demo_seed_governance()
        demo_seed_publications()
        demo_seed_pages()
        demo_seed_register()
        demo_seed_network()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        if trustee_keys:
            # The demo trustees collected their keys while seeding, so the portal
            # cannot show them again: this is the only copy.
            self.stdout.write(
                "\nThe Executive vote is sealed. Trustee keys (this is the only copy; any two\n"
                "open the ballot box at /en/portal/ once voting is closed in the admin):"
            )
            for email, key in trustee_keys.items():
                self.stdout.write(f"  {email}: {key}")
        if not password:
            self.stdout.write(
                "DEBUG is off: demo accounts have no password. Invite people from the admin."
            )
            return
        first_director = next(iter(logins.directors.values()))
        self.stdout.write(
            "\nLog in at http://127.0.0.1:8000/en/accounts/login/ with password "
            f"{password!r}:\n"
            f"  secretariat (admin at /admin/): {logins.secretariat}\n"
            f"  board director (member area):   {first_director}\n"
            "  other directors: director.<network>@example.org, e.g. director.lanpud@example.org\n"
            "On first login you set up an authenticator app (TOTP); nothing non-public\n"
            "is shown before that. Emails are printed in this terminal."
        )
