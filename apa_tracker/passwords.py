"""How passwords are stored: Argon2id with the OWASP parameters (m = 46 MiB, t = 1, p = 1).

Django's default, PBKDF2-SHA256 with 1,000,000 iterations, costs 0.24–0.4 s of processor time per sign-in on
our 2-core servers: 50 officers signing in within a few seconds of each other (a deadline morning,
BENCHMARKS.md §3) kept both cores busy for ten seconds, and anyone could buy the same with a burst of wrong
passwords. Argon2id (the Password Hashing Competition's winner, RFC 9106, OWASP's first choice) is
memory-hard: each guess needs 46 MiB written and read back, which is what makes it expensive on the GPUs and
ASICs that crack PBKDF2 cheaply, while it costs the server about 36 ms. OWASP's Password Storage Cheat Sheet
lists m = 46 MiB, t = 1, p = 1 among its equivalent minimum Argon2id settings, next to PBKDF2-SHA256 at
600,000 iterations; we keep the larger memory variant because memory, not time, is what attackers' hardware
lacks.

Passwords stored earlier (PBKDF2, or Argon2 with other parameters) keep working: Django checks them with the
hasher that made them and stores them again with this one at the next successful sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import get_language

from base.bangla import to_bangla_digits


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id, algorithm name ``argon2``) with the OWASP memory-heavy parameters.
    A stored hash records its own parameters, so changing these upgrades hashes at their next sign-in."""

    time_cost = 1
    memory_cost = 47_104  # KiB: 46 MiB
    parallelism = 1


class BanglaMinimumLengthValidator(MinimumLengthValidator):
    """Django's minimum length, its number written in Bangla digits on a Bangla page: "অন্তত ১০টি অক্ষর"
    (Django formats it with ASCII digits inside its Bangla sentence)."""

    def get_error_message(self) -> str:
        return _digits(super().get_error_message())

    def get_help_text(self) -> str:
        return _digits(super().get_help_text())


def _digits(text: str) -> str:
    return text if get_language() == "en" else to_bangla_digits(text)
