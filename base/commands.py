"""What every APA command shares: Bangla errors on stderr, exit status 1, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from base.errors import DomainError

T = TypeVar("T")


class APACommand(BaseCommand):
    def run_service(self, action: Callable[[], T]) -> T:
        """Run a service in one transaction; on a domain error print every problem it lists and exit 1 with
        nothing written (not even a fiscal year created on the way)."""
        try:
            with transaction.atomic():
                return action()
        except DomainError as error:
            for detail in error.details:
                self.stderr.write(f"- {detail}")
            raise CommandError(error.message) from error

    def print_warnings(self, warnings: Iterable[object]) -> None:
        for warning in warnings:
            self.stderr.write(f"সতর্কতা / warning — {warning}")
