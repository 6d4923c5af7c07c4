from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_actor import AuditActor
    from ..models.audit_entry_changes import AuditEntryChanges
    from ..models.audit_resource import AuditResource


T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """
    Attributes:
        action (str): What was done, as `resource.verb`: e.g. `webhook.updated`.
        actor (AuditActor):
        at (str):
        changes (AuditEntryChanges): Each changed field before and after. Secrets are masked as responses
            mask them (a URL's password, the signing secret but its last four
            characters, an endpoint API key); custom header values but their last four.
        id (str):
        resource (AuditResource):
    """

    action: str
    actor: AuditActor
    at: str
    changes: AuditEntryChanges
    id: str
    resource: AuditResource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor.to_dict()

        at = self.at

        changes = self.changes.to_dict()

        id = self.id

        resource = self.resource.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "changes": changes,
                "id": id,
                "resource": resource,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_actor import AuditActor
        from ..models.audit_entry_changes import AuditEntryChanges
        from ..models.audit_resource import AuditResource

        d = dict(src_dict)
        action = d.pop("action")

        actor = AuditActor.from_dict(d.pop("actor"))

        at = d.pop("at")

        changes = AuditEntryChanges.from_dict(d.pop("changes"))

        id = d.pop("id")

        resource = AuditResource.from_dict(d.pop("resource"))

        audit_entry = cls(
            action=action,
            actor=actor,
            at=at,
            changes=changes,
            id=id,
            resource=resource,
        )

        audit_entry.additional_properties = d
        return audit_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
