"""What every APA command shares: Bangla errors on stderr, exit status 1, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from base.errors import DomainError
from indicators.problems import ImportFailed, ImportProblem

T = TypeVar("T")


class APACommand(BaseCommand):
    def run_service(self, action: Callable[[], T]) -> T:
        """Run a service in one transaction; on a domain error print every problem and exit 1 with
        nothing written (not even a fiscal year created on the way)."""
        try:
            with transaction.atomic():
                return action()
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(failure.message) from failure
        except DomainError as error:
            raise CommandError(error.message) from error

    def print_warnings(self, warnings: list[ImportProblem]) -> None:
        for warning in warnings:
            self.stderr.write(f"সতর্কতা / warning — {warning}")
