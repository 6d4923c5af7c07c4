from enum import StrEnum


class ApiKeyScope(StrEnum):
    FULL = "full"
    INGEST = "ingest"
    READ = "read"

    def __str__(self) -> str:
        return str(self.value)
