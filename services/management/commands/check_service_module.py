"""Run the conformance kit on a service module and record the result for the admin."""

from django.core.management.base import BaseCommand, CommandError

from services import registry
from services.conformance import run_checks
from services.modules import module_record_conformance


class Command(BaseCommand):
    help = "Check a service module against the platform's contract (see services.conformance)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The module's slug, as registered.")
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not store the result (the admin enables only modules with a stored pass).",
        )

    def handle(self, *args, slug: str, no_record: bool, **options) -> None:
        module = registry.get(slug)
        if module is None:
            known = ", ".join(m.slug for m in registry.modules())
            raise CommandError(f"No module {slug!r} is registered. Known: {known}")
        results = run_checks(module)
        for result in results:
            mark = self.style.SUCCESS("PASS") if result.passed else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {result.name}: {result.detail}")
        passed = all(result.passed for result in results)
        if not no_record:
            module_record_conformance(
                slug=slug,
                version=module.version,
                passed=passed,
                report=[result.as_dict() for result in results],
            )
        if not passed:
            raise CommandError(f"Module {slug!r} does not conform.")
        self.stdout.write(self.style.SUCCESS(f"Module {slug!r} version {module.version} conforms."))
