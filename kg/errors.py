"""One exception class per kind of user error; the CLI prints them as one line.

Each kind carries the exit status the ``kg`` command ends with, as pySHACL's do:

- 0: success;
- 1: the data does not conform (SHACL violations): ``ValidationFailed``;
- 2: a usage or input error (a malformed file, an unknown query, a missing build): ``KgError``;
- 3: an environment error (a store or server unreachable, a browser missing): ``EnvironmentFailure``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "EXIT_INPUT",
    "EXIT_ENVIRONMENT",
    "EXIT_INVALID",
    "ArticleError",
    "CurationError",
    "DataFileError",
    "EnvironmentFailure",
    "GraphNotBuiltError",
    "IngestRefused",
    "KgError",
    "ManifestError",
    "QueryError",
    "ValidationFailed",
]


EXIT_INVALID = 1
EXIT_INPUT = 2
EXIT_ENVIRONMENT = 3


class KgError(Exception):
    """A problem with the user's input: carries where it is and what to do."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class ArticleError(KgError):
    """An article file or its metadata is unusable (missing, not UTF-8, empty...)."""


class ManifestError(KgError):
    """A row of an ingest manifest is unusable (a missing file, a bad date, a duplicate...)."""


class IngestRefused(KgError):
    """``kg ingest`` found problems and wrote nothing: every problem, each naming its file and row."""

    def __init__(self, problems: list[KgError]):
        self.problems = problems
        environment = any(isinstance(p, EnvironmentFailure) for p in problems)
        self.exit_code = EXIT_ENVIRONMENT if environment else EXIT_INPUT
        super().__init__(f"ingest refused: {len(problems)} problem(s), nothing written")


class CurationError(KgError):
    """A curated Turtle file is malformed, or refers to something that is not there."""


class DataFileError(KgError):
    """An RDF file given on the command line cannot be read or parsed."""


class QueryError(KgError):
    """A SPARQL query is malformed, unknown, or lacks a parameter."""


class GraphNotBuiltError(KgError):
    """The built graph in out/ is missing: run `kg build` first."""


class EnvironmentFailure(KgError):
    """Something outside the user's data failed: a server unreachable or not starting, a browser missing."""

    exit_code = EXIT_ENVIRONMENT


class ValidationFailed(KgError):
    """The data does not conform to the SHACL shapes."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, report: object = None, path: Path | str | None = None):
        self.report = report
        super().__init__(message, path)
