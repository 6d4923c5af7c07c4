from enum import StrEnum


class ApiKeyRequestScope(StrEnum):
    FULL = "full"
    INGEST = "ingest"
    READ = "read"

    def __str__(self) -> str:
        return str(self.value)
