from enum import StrEnum


class FilterNumericNumericType1ItemType2(StrEnum):
    VALUE_0 = "<"
    VALUE_1 = "<="

    def __str__(self) -> str:
        return str(self.value)
