"""Seed the complaint categories (and, when none is loaded, the approximate boundary)."""

from django.core.management.base import BaseCommand

from complaints.seeding import seed_approximate_boundary, seed_categories


class Command(BaseCommand):
    help = "Seed the complaint categories (safe to run again)."

    def handle(self, *args, **options):
        count = seed_categories()
        boundary = seed_approximate_boundary()
        self.stdout.write(f"Complaint categories: {count}. Boundary: {boundary.name}.")
