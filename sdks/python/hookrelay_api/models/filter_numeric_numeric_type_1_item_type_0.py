from enum import StrEnum


class FilterNumericNumericType1ItemType0(StrEnum):
    VALUE_0 = ">"
    VALUE_1 = ">="

    def __str__(self) -> str:
        return str(self.value)
